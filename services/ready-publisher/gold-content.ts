import { createHash, type Hash } from 'node:crypto';
import {
  type DatasetContract,
  LINEAGE_COLUMNS,
  type SilverColumn,
  type SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';
import type { GoldTarget } from './gold-keys.ts';

/** Name and version of the canonical form below; part of what is hashed, so a change of form cannot pass unseen. */
export const GOLD_CONTENT_FORMAT = 'finledger-gold-content/v1';

/**
 * Lineage that differs between runs over the same raw bytes, so it stays out of gold (and out of the hash): the
 * run id lives in the key and the marker instead.
 */
export const RUN_SPECIFIC_COLUMNS: readonly string[] = ['_run_id'];

/**
 * Gold columns: the dataset's silver columns, then the lineage that identifies where a row came from (partner,
 * business date, file id, file sha256, row number, schema version), without run-specific lineage.
 */
export function goldColumnsOf(contract: DatasetContract): readonly SilverColumn[] {
  return [
    ...contract.silverColumns,
    ...LINEAGE_COLUMNS.filter((column) => !RUN_SPECIFIC_COLUMNS.includes(column.name)),
  ];
}

const canonicalValue = (value: SilverValue): string | number | null =>
  typeof value === 'bigint' ? value.toString() : value;

/**
 * SHA-256 over the canonical serialisation of a gold partition, fed one row at a time in gold order:
 *
 * line 1: `{"format","dataset","schemaV","businessDate","columns":[[name,type],…]}` as JSON;
 * then one line per row: a JSON array of the row's values in column order (INT64 and TIMESTAMP_MICROS as
 * decimal strings, INT32 and DATE as JSON numbers, null as null); every line ends in `\n`.
 *
 * It depends only on the rows and the partition's identity, not on the Parquet encoding, the part size or the
 * run: equal data hashes equal in every rerun; a changed value, row number or file sha256 changes it.
 */
export class ContentHasher {
  private readonly hash: Hash = createHash('sha256');

  constructor(target: Omit<GoldTarget, 'runId'>, columns: readonly SilverColumn[]) {
    this.line({
      format: GOLD_CONTENT_FORMAT,
      dataset: target.dataset,
      schemaV: target.schemaV,
      businessDate: target.businessDate,
      columns: columns.map((column) => [column.name, column.type]),
    });
  }

  addRow(values: readonly SilverValue[]): void {
    this.line(values.map(canonicalValue));
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  private line(value: unknown): void {
    this.hash.update(`${JSON.stringify(value)}\n`);
  }
}
