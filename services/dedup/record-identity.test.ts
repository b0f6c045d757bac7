import { describe, expect, it } from 'vitest';
import { LINEAGE_COLUMNS } from '../../contracts/datasets/dataset-contract.ts';
import {
  dedupKeyOf,
  FINGERPRINT_EXCLUDED,
  fingerprintOf,
  naturalIdOf,
  nfc,
  recordIdentityOf,
  recordOf,
} from './record-identity.ts';
import { requireDataset, txValues } from './test-support/fakes.ts';

const TransactionsV1 = requireDataset('transactions');
const SettlementsV1 = requireDataset('settlements');

const transactions = recordIdentityOf(TransactionsV1);

describe('recordIdentityOf', () => {
  it.each([
    [
      'transactions',
      TransactionsV1,
      ['transaction_id'],
      [
        'transaction_id',
        'type',
        'amount_minor',
        'currency',
        'currency_exponent',
        'occurred_at',
        'merchant_id',
        'settlement_reference',
        'card_bin',
        'card_last4',
      ],
    ],
    [
      'settlements',
      SettlementsV1,
      ['settlement_id'],
      [
        'settlement_id',
        'transaction_reference',
        'amount_minor',
        'fee_minor',
        'currency',
        'currency_exponent',
        'settled_at',
        'payout_batch_id',
      ],
    ],
  ])(
    'keys %s on the contract natural key and fingerprints its business columns',
    (_name, contract, key, columns) => {
      // Act
      const identity = recordIdentityOf(contract);

      // Assess
      expect(identity.keyFields).toEqual(key);
      expect(identity.fingerprintColumns.map((column) => column.name)).toEqual(columns);
      const lineage = LINEAGE_COLUMNS.map((column) => column.name);
      expect(columns.filter((name) => lineage.includes(name))).toEqual([]);
      // Every silver column is either fingerprinted or excluded with a reason: a new column cannot slip out.
      expect([...columns, ...Object.keys(FINGERPRINT_EXCLUDED[contract.name])].sort()).toEqual(
        contract.silverColumns.map((column) => column.name).sort(),
      );
    },
  );
});

describe('fingerprintOf', () => {
  const base = txValues('tx-1', { card_number: '4111111111111111' });

  it.each([
    ['the partner offset spelling of the same instant', { occurred_at: '2026-11-20T11:00:00.000001+01:00' }],
  ])('ignores %s', (_name, change) => {
    expect(
      fingerprintOf(transactions, txValues('tx-1', { card_number: '4111111111111111', ...change })),
    ).toBe(fingerprintOf(transactions, base));
  });

  it('ignores the keyed card fingerprint (a rotated HMAC key) but not the card BIN and last 4', () => {
    const rotated = [...base];
    rotated[11] = 'rotated-hmac';
    const otherCard = [...base];
    otherCard[10] = '0004';

    expect(fingerprintOf(transactions, rotated)).toBe(fingerprintOf(transactions, base));
    expect(fingerprintOf(transactions, otherCard)).not.toBe(fingerprintOf(transactions, base));
  });

  it.each([
    ['the amount', { amount: '10.01' }],
    ['the instant by a microsecond', { occurred_at: '2026-11-20T10:00:00.000002Z' }],
    ['the type', { type: 'refund' as const }],
    ['the merchant', { merchant_id: 'm-2' }],
    ['the settlement reference', { settlement_reference: 's-1' }],
  ])('changes with %s', (_name, change) => {
    expect(
      fingerprintOf(transactions, txValues('tx-1', { card_number: '4111111111111111', ...change })),
    ).not.toBe(fingerprintOf(transactions, base));
  });
});

describe('dedup keys', () => {
  it('builds KEY#<dataset>#<partner>#<natural id> from the key column', () => {
    expect(dedupKeyOf('transactions', 'acme-bank', naturalIdOf(transactions, txValues('tx#1')))).toBe(
      'KEY#transactions#acme-bank#tx#1',
    );
  });
});

describe('visual twins (Unicode NFC)', () => {
  const composed = 'tx-caf\u00e9';
  const decomposed = 'tx-cafe\u0301';

  it('gives the composed and decomposed spelling of an id one natural key', () => {
    // Act
    const keys = [composed, decomposed].map((id) =>
      dedupKeyOf('transactions', 'acme-bank', naturalIdOf(transactions, txValues(id))),
    );

    // Assess
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toBe('KEY#transactions#acme-bank#tx-caf\u00e9');
  });

  it('fingerprints them alike, so a re-sent record in the other spelling is a duplicate, not a conflict', () => {
    // Act / Assess
    expect(fingerprintOf(transactions, txValues(composed, { merchant_id: 'M\u00fcller' }))).toBe(
      fingerprintOf(transactions, txValues(decomposed, { merchant_id: 'Mu\u0308ller' })),
    );
  });

  it('still tells apart ids that only look alike across scripts (NFC is not a homoglyph fold)', () => {
    // Act / Assess (Latin a, Cyrillic а)
    expect(naturalIdOf(transactions, txValues('tx-a'))).not.toBe(
      naturalIdOf(transactions, txValues('tx-\u0430')),
    );
  });

  it('keeps the values as received in the record it quarantines', () => {
    // Act
    const record = recordOf(TransactionsV1, txValues(decomposed));

    // Assess
    expect(record.transaction_id).toBe(decomposed);
  });
});

describe('nfc', () => {
  it('leaves every code point below U+0300 as it is, which is why it may skip them', () => {
    // Act
    const changed = Array.from({ length: 0x300 }, (_, codePoint) => String.fromCodePoint(codePoint)).filter(
      (char) => char.normalize('NFC') !== char,
    );

    // Assess
    expect(changed).toEqual([]);
  });

  it.each([
    ['e\u0301', '\u00e9'],
    ['A\u030a', '\u00c5'],
    ['\u212b', '\u00c5'],
    ['\u1100\u1161', '\uac00'],
    ['tx-1', 'tx-1'],
  ])('normalises %j to %j', (text, expected) => {
    // Act / Assess
    expect(nfc(text)).toBe(expected);
  });
});
