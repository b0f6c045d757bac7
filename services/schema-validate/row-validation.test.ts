import { describe, expect, it } from 'vitest';
import { cardTokenizer } from './card-tokens.ts';
import type { CsvRecord } from './csv/strict-csv-parser.ts';
import { createRowValidator } from './row-validation.ts';
import { requireDataset } from './test-support/fake-ports.ts';

const context = {
  cardTokens: cardTokenizer('test-key-0123456789abcdef'),
  businessDate: '2024-03-01',
  encoding: 'utf-8',
} as const;
const validator = createRowValidator(requireDataset('transactions'), context);
const goodLine = 'tx-1,payment,10.50,EUR,2024-03-01T10:00:00+01:00,m-1,,';

function record(raw: string, line = 2): CsvRecord {
  return { line, raw, fields: raw.split(',') };
}

describe('createRowValidator', () => {
  it('returns silver values for a valid row', () => {
    // Act
    const verdict = validator.validate(record(goodLine));

    // Assess
    expect(verdict.valid).toBe(true);
    expect(verdict.valid && verdict.values.slice(0, 4)).toEqual(['tx-1', 'payment', 1050n, 'EUR']);
  });

  it.each([
    ['a ragged row', 'tx-1,payment,10.50', null, 'has 3 fields, expected 8'],
    ['a line of spaces', '   ', null, 'has 1 fields, expected 8 (ragged row)'],
    ['a misplaced trailer', 'TRAILER,1,EUR=1.00', null, 'TRAILER record that is not the last'],
    [
      'a negative payment',
      'tx-1,payment,-10.50,EUR,2024-03-01T10:00:00+01:00,m-1,,',
      'amount',
      'only refund, chargeback, reversal',
    ],
    ['a float in disguise', 'tx-1,payment,1e3,EUR,2024-03-01T10:00:00+01:00,m-1,,', 'amount', 'amount'],
    ['a local time', 'tx-1,payment,1.00,EUR,2024-03-01T10:00:00,m-1,,', 'occurred_at', 'offset'],
    [
      'an impossible date',
      'tx-1,payment,1.00,EUR,2026-02-30T10:00:00Z,m-1,,',
      'occurred_at',
      'occurred_at is not a real calendar date',
    ],
    [
      'a two-digit year written as 00xx',
      'tx-1,payment,1.00,EUR,0024-03-01T10:00:00Z,m-1,,',
      'occurred_at',
      'occurred_at is before 2000-01-01T00:00:00Z',
    ],
    [
      'an instant decades after the business date',
      'tx-1,payment,1.00,EUR,2204-03-01T10:00:00Z,m-1,,',
      'occurred_at',
      "occurred_at is more than 10 years after the file's business date 2024-03-01",
    ],
    [
      'a zero-width character in the transaction id',
      'tx\u200b-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m-1,,',
      'transaction_id',
      'transaction_id contains a zero-width character (U+200B)',
    ],
    [
      'double-encoded UTF-8 in the merchant id',
      'tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m_cafÃ©,,',
      'merchant_id',
      'merchant_id looks like double-encoded UTF-8 (UTF-8 bytes read as windows-1252 or ISO-8859-1',
    ],
    [
      'a right-to-left override in the merchant id',
      'tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m\u202e1-,,',
      'merchant_id',
      'merchant_id contains a bidirectional control character (U+202E)',
    ],
    ['an unknown type', 'tx-1,sale,1.00,EUR,2024-03-01T10:00:00Z,m-1,,', 'type', 'type'],
    [
      'a PAN in the merchant id',
      'tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,4111111111111111,,',
      'merchant_id',
      'card number in field merchant_id',
    ],
    [
      'a spaced PAN in the reference',
      'tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m-1,4111 1111 1111 1111,',
      'settlement_reference',
      'card number in field settlement_reference',
    ],
    [
      'a Luhn-invalid card number',
      'tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m-1,,4111111111111112',
      'card_number',
      'Luhn',
    ],
  ])('quarantines %s, naming field %s', (_name, raw, field, reason) => {
    // Act
    const verdict = validator.validate(record(raw));

    // Assess
    expect(verdict.valid).toBe(false);
    expect(!verdict.valid && verdict.field).toBe(field);
    expect(!verdict.valid && verdict.reason).toContain(reason);
    expect(!verdict.valid && verdict.reason).not.toContain('4111');
  });

  it.each(['m_café', 'Müller', 'São_Paulo', 'Ã'])(
    'accepts genuine non-ASCII text %j in the merchant id',
    (merchant) => {
      // Act
      const verdict = validator.validate(record(`tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,${merchant},,`));

      // Assess
      expect(verdict.valid).toBe(true);
    },
  );

  it('masks card numbers anywhere in the quarantined line, and any value in the card column', () => {
    // Prepare
    const raw = 'tx-1,payment,-1.00,EUR,2024-03-01T10:00:00Z,4111111111111111,,4111111111111112';

    // Act
    const masked = validator.maskedLine(record(raw));

    // Assess
    expect(masked).toBe('tx-1,payment,-1.00,EUR,2024-03-01T10:00:00Z,************1111,,************1112');
  });

  it('gives the control amount of a row that fails on another field', () => {
    // Act
    const amount = validator.controlAmount(record('tx-1,sale,1.5,KWD,bad,m-1,,'));

    // Assess
    expect(amount).toEqual({ currency: 'KWD', minor: 1500n });
  });

  it.each([
    ['a ragged row', 'tx-1,payment,1.00'],
    ['an unparseable amount', 'tx-1,payment,1e3,EUR,x,m,,'],
    ['an unknown currency', 'tx-1,payment,1.00,ABC,x,m,,'],
  ])('gives no control amount for %s', (_name, raw) => {
    // Act / Assess
    expect(validator.controlAmount(record(raw))).toBeNull();
  });

  it('scans every settlements column for card numbers (the dataset has no card column)', () => {
    // Prepare
    const settlements = createRowValidator(requireDataset('settlements'), context);

    // Act
    const verdict = settlements.validate(record('s-1,4111111111111111,1.00,0.10,EUR,2024-03-01T10:00:00Z,'));

    // Assess
    expect(verdict).toEqual({
      valid: false,
      field: 'transaction_reference',
      reason: 'card number in field transaction_reference',
    });
  });
});
