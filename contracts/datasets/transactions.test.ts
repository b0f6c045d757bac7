import { describe, expect, it } from 'vitest';
import { TransactionRowSchema, TransactionsV1 } from './transactions.ts';

const good = {
  transaction_id: 'tx-1',
  type: 'payment',
  amount: '1050.25',
  currency: 'EUR',
  occurred_at: '2024-03-01T10:00:00.123456+01:00',
  merchant_id: 'm-1',
  settlement_reference: '',
  card_number: '',
};

const tokens = {
  cardTokens: (pan: string) => ({ bin: pan.slice(0, 6), last4: pan.slice(-4), fingerprint: 'f'.repeat(64) }),
};

describe('TransactionRowSchema', () => {
  it.each([
    ['a plain payment', {}],
    ['a JPY amount without decimals', { amount: '1500', currency: 'JPY' }],
    ['a KWD amount with 3 decimals', { amount: '1.250', currency: 'KWD' }],
    ['a CLF amount with 4 decimals', { amount: '0.0001', currency: 'CLF' }],
    ['a negative refund', { type: 'refund', amount: '-10.00' }],
    ['a negative chargeback', { type: 'chargeback', amount: '-10.00' }],
    ['a negative reversal', { type: 'reversal', amount: '-10.00' }],
    ['a UTC instant', { occurred_at: '2024-03-01T09:00:00Z' }],
    ['a settlement reference', { settlement_reference: 'SR-77' }],
    ['a Luhn-valid card number', { card_number: '4111111111111111' }],
  ])('accepts %s', (_name, change) => {
    // Act
    const result = TransactionRowSchema.safeParse({ ...good, ...change });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['a negative payment', { amount: '-1.00' }, 'amount'],
    ['an exponent amount', { amount: '1e3' }, 'amount'],
    ['a hex amount', { amount: '0x10' }, 'amount'],
    ['an empty amount', { amount: '' }, 'amount'],
    ['too many decimals for EUR', { amount: '1.001' }, 'amount'],
    ['decimals for JPY', { amount: '1.5', currency: 'JPY' }, 'amount'],
    ['an unknown type', { type: 'purchase' }, 'type'],
    ['an unknown currency', { currency: 'ABC' }, 'currency'],
    ['a lower-case currency', { currency: 'eur' }, 'currency'],
    ['a local time', { occurred_at: '2024-03-01T10:00:00' }, 'occurred_at'],
    ['a date only', { occurred_at: '2024-03-01' }, 'occurred_at'],
    ['an impossible date', { occurred_at: '2024-02-30T10:00:00Z' }, 'occurred_at'],
    ['nanosecond precision', { occurred_at: '2024-03-01T10:00:00.123456789Z' }, 'occurred_at'],
    ['an empty transaction id', { transaction_id: '' }, 'transaction_id'],
    ['a padded merchant id', { merchant_id: ' m-1' }, 'merchant_id'],
    ['a card number failing Luhn', { card_number: '4111111111111112' }, 'card_number'],
    ['a short card number', { card_number: '411111111111' }, 'card_number'],
    ['a spaced card number', { card_number: '4111 1111 1111 1111' }, 'card_number'],
  ])('refuses %s, naming field %s', (_name, change, field) => {
    // Act
    const result = TransactionRowSchema.safeParse({ ...good, ...change });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('names the first failing column first', () => {
    // Act
    const result = TransactionRowSchema.safeParse({ ...good, type: 'x', currency: 'x' });

    // Assess
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual(['type', 'currency']);
  });

  it('never echoes a card number in its messages', () => {
    // Act
    const result = TransactionRowSchema.safeParse({ ...good, card_number: '4111111111111112' });

    // Assess
    expect(JSON.stringify(result.error?.issues)).not.toContain('4111111111111112');
  });
});

describe('TransactionsV1', () => {
  it('declares the v1 columns exactly and in order', () => {
    // Act / Assess
    expect(TransactionsV1.columns.join(',')).toBe(
      'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number',
    );
    expect(TransactionsV1.naturalKey).toEqual(['partner', 'transaction_id']);
  });

  it('maps a row to silver values with minor units and card tokens instead of the PAN', () => {
    // Prepare
    const row = TransactionRowSchema.parse({
      ...good,
      card_number: '4111111111111111',
      settlement_reference: 'SR-1',
    });

    // Act
    const values = TransactionsV1.toSilver(row, tokens);

    // Assess
    const byName = Object.fromEntries(
      TransactionsV1.silverColumns.map((column, index) => [column.name, values[index]]),
    );
    expect(byName).toEqual({
      transaction_id: 'tx-1',
      type: 'payment',
      amount_minor: 105025n,
      currency: 'EUR',
      currency_exponent: 2,
      occurred_at: 1709283600123456n,
      occurred_at_text: '2024-03-01T10:00:00.123456+01:00',
      merchant_id: 'm-1',
      settlement_reference: 'SR-1',
      card_bin: '411111',
      card_last4: '1111',
      card_fingerprint: 'f'.repeat(64),
    });
    expect(values).not.toContain('4111111111111111');
  });

  it('maps empty optional fields to null', () => {
    // Prepare
    const row = TransactionRowSchema.parse(good);

    // Act
    const values = TransactionsV1.toSilver(row, tokens);

    // Assess
    expect(values.slice(-4)).toEqual([null, null, null, null]);
  });
});
