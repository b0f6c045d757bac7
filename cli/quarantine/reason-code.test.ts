import { describe, expect, it } from 'vitest';
import { TransactionsV1 } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract } from '../../contracts/datasets/dataset-contract.ts';
import { cardTokenizer } from '../../services/schema-validate/card-tokens.ts';
import { createRowValidator } from '../../services/schema-validate/row-validation.ts';
import { quarantineReasonCode } from './reason-code.ts';

const validator = createRowValidator(TransactionsV1 as unknown as DatasetContract, {
  cardTokens: cardTokenizer('test-key-0123456789abcdef'),
  businessDate: '2024-03-01',
  encoding: 'utf-8',
});
const AT = '2024-03-01T10:00:00Z';

describe('quarantineReasonCode over the reasons schema-validate writes', () => {
  it.each([
    ['RAGGED_ROW', 'tx-1,payment,10.50'],
    ['MISPLACED_TRAILER', 'TRAILER,1,EUR=1.00'],
    ['CARD_NUMBER', `tx-1,payment,1.00,EUR,${AT},m_4111111111111111x,,`],
    ['DOUBLE_ENCODED_UTF8', `tx-1,payment,1.00,EUR,${AT},m_cafÃ©,,`],
    ['HIDDEN_CHARACTER', `tx\u200b-1,payment,1.00,EUR,${AT},m-1,,`],
    ['HIDDEN_CHARACTER', `tx-1,payment,1.00,EUR,${AT},\tm-1,,`],
    ['INSTANT_OUT_OF_WINDOW', 'tx-1,payment,1.00,EUR,0024-03-01T10:00:00Z,m-1,,'],
    ['INSTANT_OUT_OF_WINDOW', 'tx-1,payment,1.00,EUR,2204-03-01T10:00:00Z,m-1,,'],
    ['INVALID_VALUE', `tx-1,payment,-1+2,EUR,${AT},m-1,,`],
    ['INVALID_VALUE', 'tx-1,payment,1.00,EUR,2026-02-30T10:00:00Z,m-1,,'],
    ['INVALID_VALUE', `tx-1,payment,1.00,EUR,${AT},@SUM(A1) ,,`],
  ])('codes the reason for %s of %j', (code, raw) => {
    // Prepare
    const verdict = validator.validate({ line: 2, raw, fields: raw.split(',') });
    if (verdict.valid) throw new Error(`${raw} was not quarantined`);

    // Act
    const actual = quarantineReasonCode(verdict.field, verdict.reason);

    // Assess
    expect(actual, verdict.reason).toBe(code);
  });

  it('codes an unknown record-level reason INVALID_RECORD', () => {
    // Act
    const code = quarantineReasonCode(null, 'record is odd');

    // Assess
    expect(code).toBe('INVALID_RECORD');
  });
});
