import { describe, expect, it } from 'vitest';
import {
  cardNumberSpans,
  containsCardNumber,
  keyedDigest,
  maskAllButLast4,
  maskCardNumbers,
} from './card-numbers.ts';

describe('containsCardNumber', () => {
  it.each([
    ['a bare PAN', '4111111111111111', true],
    ['a PAN inside text', 'paid with 4111111111111111 today', true],
    ['a spaced PAN', 'card 4111 1111 1111 1111', true],
    ['a dashed PAN', '4111-1111-1111-1111', true],
    ['an Amex with uneven groups', '3782 822463 10005', true],
    ['a 13-digit PAN', 'x4222222222222x', true],
    ['a PAN after a short number', 'order 12345 4111 1111 1111 1111', true],
    ['a Luhn-invalid 16-digit number', '4111111111111112', false],
    ['a 12-digit number', '411111111111', false],
    ['a zero-padded 17-digit id', '04111111111111111', false],
    ['a zero-padded id after a word', 'BATCH-0042-0000000001', false],
    ['a PAN after a lone zero group', '0 4111111111111111', true],
    ['a PAN glued to letters', 'tx4111111111111111', true],
    ['a PAN glued to an underscore', 'ref_4111111111111111_x', true],
    ['a dotted PAN', '4111.1111.1111.1111', true],
    ['a PAN in a file name', 'inbound/acme-bank/transactions/2026-11-19/4111111111111111.csv', true],
    ['a 25-digit reference', '4111111111111111000000000', false],
    ['an ISO instant', '2024-03-01T10:00:00.123+01:00', false],
    ['an amount', '1050.25', false],
    ['double separators', '4111  1111  1111  1111', false],
    ['empty text', '', false],
    [
      'a sha256 digest with a Luhn-valid digit window',
      `f_${'ab'.repeat(10)}4111111111111111${'cd'.repeat(8)}`,
      false,
    ],
    ['a UUID made of digits', '41111111-1111-4111-8111-111111111111', false],
    // finledger's own 24-hex ids (lib/ids/digest-id.ts) hold a Luhn-valid run by chance about once in a few hundred.
    ['a reconciliation id with a Luhn-valid run', 'recon_f4111111111111111abc1234', false],
    ['such an id in a sentence', 'Reconciliation recon_f4111111111111111abc1234 of acme-bank', false],
    ['such an id in a sort key', 'RUN#mr_4111111111111111abcdef12', false],
    ['such an id in JSON', '{"runId":"ready_4111111111111111abcdef12"}', false],
    ['a file id', 'f_abc411111111111111112345', false],
    ['a PAN after an id prefix, not an id', 'recon_4111111111111111', true],
    ['an id-shaped token glued to more text', 'recon_f4111111111111111abc1234x', true],
    ['an id prefix glued to a word', 'xrecon_f4111111111111111abc1234', true],
    ['a PAN beside a short hex word', 'cafe4111111111111111', true],
  ])('judges %s as %s', (_name, text, expected) => {
    // Act / Assess
    expect(containsCardNumber(text)).toBe(expected);
  });
});

describe('maskCardNumbers', () => {
  it.each([
    ['tx-1,payment,4111111111111111', 'tx-1,payment,************1111'],
    ['a,4111 1111 1111 1111,b', 'a,**** **** **** 1111,b'],
    ['x 4111111111111111 y 5500005555555559', 'x ************1111 y ************5559'],
    ['no card here 123', 'no card here 123'],
    ['order 12345 4111 1111 1111 1111', 'order 12345 **** **** **** 1111'],
  ])('masks %j as %j', (text, expected) => {
    // Act / Assess
    expect(maskCardNumbers(text)).toBe(expected);
  });

  it('masks overlapping candidates as one span, keeping only its last four digits', () => {
    // Prepare
    // '10001 4111 1111' (13 digits) and '4111 1111 1111 1111' are both Luhn-valid and overlap.
    const text = 'ref 10001 4111 1111 1111 1111 end';

    // Act
    const masked = maskCardNumbers(text);

    // Assess
    expect(masked).toBe('ref ***** **** **** **** 1111 end');
    expect(cardNumberSpans(text)).toEqual([{ start: 4, end: 29 }]);
  });
});

describe('maskAllButLast4', () => {
  it.each([
    ['4111111111111112', '************1112'],
    ['4111-1111', '****-1111'],
    ['123', '123'],
  ])('masks %s as %s', (value, expected) => {
    // Act / Assess
    expect(maskAllButLast4(value)).toBe(expected);
  });
});

describe('keyedDigest', () => {
  it('is stable for one key, differs across keys and never holds the text', () => {
    // Prepare
    const key = 'test-key-0123456789abcdef';
    const text = 'inbound/acme-bank/transactions/2026-11-19/4111111111111111.csv';

    // Act
    const digest = keyedDigest(text, key);

    // Assess
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedDigest(text, key)).toBe(digest);
    expect(keyedDigest(text, 'other-key-0123456789abcdef')).not.toBe(digest);
    expect(containsCardNumber(digest) && digest.includes('4111111111111111')).toBe(false);
  });
});
