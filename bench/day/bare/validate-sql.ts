import type { DatasetName } from '../../../config/partners.ts';
import { CURRENCY_EXPONENTS } from '../../../contracts/datasets/money.ts';
import { sqlText } from '../../../lib/duckdb/set-engine.ts';
import { columnsOf } from './csv-sources.ts';
import {
  decimalsOf,
  hasHiddenCharacter,
  instantMicros,
  isIdentifier,
  isInstant,
  isMoneyText,
  isOptionalPan,
  isOptionalText,
  minorUnits,
} from './sql-checks.ts';

/** The currencies finledger knows, with their ISO 4217 exponents, as a table the checks join. */
export const currenciesSql = (): string =>
  `CREATE TABLE currencies AS SELECT * FROM (VALUES ${Object.entries(CURRENCY_EXPONENTS)
    .map(([code, exponent]) => `(${sqlText(code)}, ${exponent})`)
    .join(', ')}) AS t(code, exponent)`;

/**
 * `<dataset>_rows`: every data row (the trailer left out) with the first field that breaks the contract (`problem`,
 * NULL when valid) and the typed silver values. Assumes `<dataset>_raw` and `currencies`.
 */
export function validateSql(dataset: DatasetName, businessDate: string): string {
  const problem =
    dataset === 'transactions'
      ? [
          [`NOT ${isIdentifier('transaction_id')}`, 'transaction_id'],
          [`type IS NULL OR type NOT IN ('payment', 'refund', 'chargeback', 'reversal')`, 'type'],
          [`NOT ${isMoneyText('amount')}`, 'amount'],
          ['c.exponent IS NULL', 'currency'],
          [`${decimalsOf('amount')} > c.exponent`, 'amount'],
          [`type = 'payment' AND ${minorUnits('amount', 'c.exponent')} < 0`, 'amount'],
          [`NOT ${isInstant('occurred_at', businessDate)}`, 'occurred_at'],
          [`NOT ${isIdentifier('merchant_id')}`, 'merchant_id'],
          [`NOT ${isOptionalText('settlement_reference')}`, 'settlement_reference'],
          [`NOT ${isOptionalPan('card_number')}`, 'card_number'],
        ]
      : [
          [`NOT ${isIdentifier('settlement_id')}`, 'settlement_id'],
          [`NOT ${isIdentifier('transaction_reference')}`, 'transaction_reference'],
          [`NOT ${isMoneyText('amount')}`, 'amount'],
          [`NOT ${isMoneyText('fee')}`, 'fee'],
          ['c.exponent IS NULL', 'currency'],
          [`${decimalsOf('amount')} > c.exponent`, 'amount'],
          [`${decimalsOf('fee')} > c.exponent`, 'fee'],
          [`${minorUnits('fee', 'c.exponent')} < 0`, 'fee'],
          [`NOT ${isInstant('settled_at', businessDate)}`, 'settled_at'],
          [`NOT ${isOptionalText('payout_batch_id')}`, 'payout_batch_id'],
        ];
  const hidden = hasHiddenCharacter(columnsOf(dataset));
  const typed =
    dataset === 'transactions'
      ? `${minorUnits('amount', 'c.exponent')} AS amount_minor, ${instantMicros('occurred_at')} AS occurred_at_utc`
      : `${minorUnits('amount', 'c.exponent')} AS amount_minor, ${minorUnits('fee', 'c.exponent')} AS fee_minor, ${instantMicros('settled_at')} AS settled_at_utc`;
  return `CREATE TABLE ${dataset}_rows AS
    WITH numbered AS (SELECT *, max(row_number) OVER (PARTITION BY file) AS last_row FROM ${dataset}_raw),
    data AS (
      SELECT * EXCLUDE (last_row) FROM numbered
      WHERE NOT (${columnsOf(dataset)[0]} = 'TRAILER' AND row_number = last_row)
    )
    SELECT data.*, c.exponent AS currency_exponent,
      CASE ${problem.map(([condition, field]) => `WHEN ${condition} THEN ${sqlText(field as string)}`).join(' ')}
        WHEN ${hidden} THEN 'hidden character' END AS problem,
      ${typed}
    FROM data LEFT JOIN currencies c ON c.code = data.currency`;
}

/** Files whose trailer is missing or declares another row count than the file holds. */
export const trailerBreaksSql = (dataset: DatasetName): string => {
  const first = columnsOf(dataset)[0];
  const second = columnsOf(dataset)[1];
  return `SELECT count(*) AS breaks FROM (
      SELECT file, count(*) FILTER (WHERE NOT (${first} = 'TRAILER' AND row_number = last)) AS rows,
        max(CASE WHEN ${first} = 'TRAILER' AND row_number = last THEN TRY_CAST(${second} AS BIGINT) END) AS declared
      FROM (SELECT *, max(row_number) OVER (PARTITION BY file) AS last FROM ${dataset}_raw) GROUP BY file
    ) WHERE declared IS NULL OR declared <> rows`;
};
