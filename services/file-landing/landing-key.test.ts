import { describe, expect, it } from 'vitest';
import { isCalendarDate, parseLandingKey } from './landing-key.ts';

describe('parseLandingKey', () => {
  it.each([
    [
      'inbound/acme-bank/transactions/2026-11-19/acme-tx-20261119.csv',
      'acme-bank',
      'transactions',
      '2026-11-19',
      'acme-tx-20261119.csv',
    ],
    [
      'inbound/globex-pay/settlements/2026-11-20/GLOBEX_settle.v2.csv',
      'globex-pay',
      'settlements',
      '2026-11-20',
      'GLOBEX_settle.v2.csv',
    ],
    [
      'inbound/initech-acq/transactions/2024-02-29/a.csv',
      'initech-acq',
      'transactions',
      '2024-02-29',
      'a.csv',
    ],
  ])('routes %s', (key, partner, dataset, businessDate, fileName) => {
    // Act
    const result = parseLandingKey(key);

    // Assess
    expect(result).toEqual({ ok: true, route: { partner, dataset, businessDate, fileName, schemaV: 1 } });
  });

  it.each([
    ['a parent-directory segment', 'inbound/acme-bank/transactions/2026-11-19/../../raw/x.csv'],
    ['a leading dot-dot in the name', 'inbound/acme-bank/transactions/2026-11-19/..csv'],
    ['a hidden file', 'inbound/acme-bank/transactions/2026-11-19/.tx.csv'],
    ['an absolute path', '/inbound/acme-bank/transactions/2026-11-19/tx.csv'],
    ['a backslash', 'inbound/acme-bank/transactions/2026-11-19/..\\tx.csv'],
    ['a URL-encoded slash', 'inbound/acme-bank/transactions/2026-11-19/a%2F..%2Ftx.csv'],
    ['a space', 'inbound/acme-bank/transactions/2026-11-19/my tx.csv'],
    ['a plus sign', 'inbound/acme-bank/transactions/2026-11-19/my+tx.csv'],
    ['a NUL byte', 'inbound/acme-bank/transactions/2026-11-19/tx\u0000.csv'],
    ['a newline', 'inbound/acme-bank/transactions/2026-11-19/tx\n.csv'],
    ['a Cyrillic look-alike', 'inbound/acme-b\u0430nk/transactions/2026-11-19/tx.csv'],
    ['a right-to-left override', 'inbound/acme-bank/transactions/2026-11-19/tx\u202Evsc.csv'],
    ['an upper-case partner', 'inbound/ACME-bank/transactions/2026-11-19/tx.csv'],
    ['a one-letter partner', 'inbound/a/transactions/2026-11-19/tx.csv'],
    ['an unknown dataset', 'inbound/acme-bank/chargebacks/2026-11-19/tx.csv'],
    ['an impossible date', 'inbound/acme-bank/transactions/2026-02-30/tx.csv'],
    ['a month 13', 'inbound/acme-bank/transactions/2026-13-01/tx.csv'],
    ['a compact date', 'inbound/acme-bank/transactions/20261119/tx.csv'],
    ['a missing date segment', 'inbound/acme-bank/transactions/tx.csv'],
    ['an extra segment', 'inbound/acme-bank/transactions/2026-11-19/sub/tx.csv'],
    ['a trailing slash', 'inbound/acme-bank/transactions/2026-11-19/'],
    ['another prefix', 'outbound/acme-bank/transactions/2026-11-19/tx.csv'],
    ['a non-CSV name', 'inbound/acme-bank/transactions/2026-11-19/tx.xlsx'],
    ['an upper-case extension', 'inbound/acme-bank/transactions/2026-11-19/tx.CSV'],
    ['a bare extension', 'inbound/acme-bank/transactions/2026-11-19/.csv'],
    ['a name over 200 characters', `inbound/acme-bank/transactions/2026-11-19/${'a'.repeat(197)}.csv`],
  ])('refuses a key with %s as UNROUTABLE_KEY', (_case, key) => {
    // Act
    const result = parseLandingKey(key);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.code).toBe('UNROUTABLE_KEY');
    expect(result.rejection.reason).toMatch(/^Object key does not follow inbound\/<partner>/);
  });

  it('refuses a well-formed key of an unregistered partner as UNKNOWN_PARTNER', () => {
    // Act
    const result = parseLandingKey('inbound/umbrella-corp/transactions/2026-11-19/tx.csv');

    // Assess
    expect(result).toEqual({
      ok: false,
      rejection: { code: 'UNKNOWN_PARTNER', reason: expect.stringContaining('"umbrella-corp"') },
    });
  });

  it('refuses a dataset the partner does not deliver', () => {
    // Prepare
    const partners = [
      {
        id: 'solo-pay',
        name: 'Solo',
        encoding: 'utf-8',
        timezone: 'UTC',
        datasets: { transactions: { schemaV: 2, trailer: 'optional' } },
      },
    ] as const;

    // Act
    const refused = parseLandingKey('inbound/solo-pay/settlements/2026-11-19/s.csv', partners);
    const routed = parseLandingKey('inbound/solo-pay/transactions/2026-11-19/t.csv', partners);

    // Assess
    expect(refused).toEqual({
      ok: false,
      rejection: { code: 'UNROUTABLE_KEY', reason: expect.stringContaining('does not deliver settlements') },
    });
    expect(routed).toMatchObject({ ok: true, route: { schemaV: 2 } });
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2026-11-19', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-04-31', false],
    ['2026-00-10', false],
    ['2026-1-19', false],
    ['2026-11-19T00:00:00Z', false],
  ])('reads %s as %s', (text, expected) => {
    expect(isCalendarDate(text)).toBe(expected);
  });
});
