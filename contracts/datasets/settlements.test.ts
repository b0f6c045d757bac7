import { describe, expect, it } from 'vitest';
import { SettlementRowSchema, SettlementsV1 } from './settlements.ts';

const good = {
  settlement_id: 's-1',
  transaction_reference: 'tx-1',
  amount: '100.00',
  fee: '1.50',
  currency: 'EUR',
  settled_at: '2024-03-02T00:00:00Z',
  payout_batch_id: '',
};

const noCards = { cardTokens: () => ({ bin: '', last4: '', fingerprint: '' }) };

describe('SettlementRowSchema', () => {
  it.each([
    ['a plain settlement', {}],
    ['a negative net amount', { amount: '-5.00' }],
    ['a zero fee', { fee: '0' }],
    ['a payout batch', { payout_batch_id: 'PB-9' }],
    ['JPY amounts', { amount: '100', fee: '3', currency: 'JPY' }],
  ])('accepts %s', (_name, change) => {
    // Act / Assess
    expect(SettlementRowSchema.safeParse({ ...good, ...change }).success).toBe(true);
  });

  it.each([
    ['a negative fee', { fee: '-1.00' }, 'fee'],
    ['fee decimals for JPY', { amount: '100', fee: '0.5', currency: 'JPY' }, 'fee'],
    ['an exponent amount', { amount: '1e2' }, 'amount'],
    ['an empty fee', { fee: '' }, 'fee'],
    ['a local settled_at', { settled_at: '2024-03-02 00:00:00' }, 'settled_at'],
    ['an empty settlement id', { settlement_id: '' }, 'settlement_id'],
  ])('refuses %s, naming field %s', (_name, change, field) => {
    // Act
    const result = SettlementRowSchema.safeParse({ ...good, ...change });

    // Assess
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});

describe('SettlementsV1', () => {
  it('declares the v1 columns and natural key', () => {
    // Act / Assess
    expect(SettlementsV1.columns.join(',')).toBe(
      'settlement_id,transaction_reference,amount,fee,currency,settled_at,payout_batch_id',
    );
    expect(SettlementsV1.naturalKey).toEqual(['partner', 'settlement_id']);
  });

  it('maps amount and fee to minor units', () => {
    // Prepare
    const row = SettlementRowSchema.parse(good);

    // Act
    const values = SettlementsV1.toSilver(row, noCards);

    // Assess
    expect(values.slice(2, 4)).toEqual([10000n, 150n]);
    expect(values.at(-1)).toBeNull();
  });
});
