import { createHash, type Hash } from 'node:crypto';
import {
  type DatasetContract,
  LINEAGE_COLUMNS,
  type SilverColumn,
  type SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';
import { GOLD_BUCKETS } from './gold-buckets.ts';
import type { GoldTarget } from './gold-keys.ts';

/** Name and version of the canonical form below; part of what is hashed, so a change of form cannot pass unseen. */
export const GOLD_CONTENT_FORMAT = 'finledger-gold-content/v2';

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

/** One gold bucket's share of a partition: its rows and the SHA-256 of their canonical lines, hex. */
export interface BucketDigest {
  readonly bucket: number;
  readonly rows: number;
  readonly sha256: string;
}

const canonicalValue = (value: SilverValue): string | number | null =>
  typeof value === 'bigint' ? value.toString() : value;

/**
 * SHA-256 of one bucket's rows, fed one row at a time in gold order: one line per row, a JSON array of the row's
 * values in column order (INT64 and TIMESTAMP_MICROS as decimal strings, INT32 and DATE as JSON numbers, null as
 * null), each ending in `\n`.
 */
export class BucketHasher {
  private readonly hash: Hash = createHash('sha256');
  private rows = 0;

  constructor(readonly bucket: number) {}

  addRow(values: readonly SilverValue[]): void {
    this.rows += 1;
    this.hash.update(`${JSON.stringify(values.map(canonicalValue))}\n`);
  }

  digest(): BucketDigest {
    return { bucket: this.bucket, rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

/**
 * The content hash of a gold partition: SHA-256 over
 *
 * line 1: `{"format","dataset","schemaV","businessDate","columns":[[name,type],…],"buckets":256}` as JSON;
 * then one line per non-empty bucket, in bucket order: `[bucket,rows,sha256]` (BucketHasher) as JSON;
 * every line ends in `\n`.
 *
 * It depends only on the rows and the partition's identity, not on the Parquet encoding, the part size, the run or
 * how many units built the buckets: equal data hashes equal in every rerun; a changed value, row number or file
 * sha256 changes it. Version 1 hashed the rows in one sequence, which units cannot build without one more pass.
 */
export function contentHashOf(
  target: Omit<GoldTarget, 'runId'>,
  columns: readonly SilverColumn[],
  buckets: readonly BucketDigest[],
): string {
  const hash = createHash('sha256');
  const line = (value: unknown) => hash.update(`${JSON.stringify(value)}\n`);
  line({
    format: GOLD_CONTENT_FORMAT,
    dataset: target.dataset,
    schemaV: target.schemaV,
    businessDate: target.businessDate,
    columns: columns.map((column) => [column.name, column.type]),
    buckets: GOLD_BUCKETS,
  });
  for (const { bucket, rows, sha256 } of buckets) if (rows > 0) line([bucket, rows, sha256]);
  return hash.digest('hex');
}
