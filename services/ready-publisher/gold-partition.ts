import { createHash } from 'node:crypto';
import type { SchemaElement } from 'hyparquet';
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type {
  DatasetContract,
  SilverColumn,
  SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';
import { schemaElementOf } from '../../lib/parquet/schema-element.ts';
import { GoldInputError } from './errors.ts';
import { type BucketRange, GOLD_BUCKETS, goldBucketOf } from './gold-buckets.ts';
import { type BucketDigest, BucketHasher, contentHashOf, goldColumnsOf } from './gold-content.ts';
import { type GoldTarget, goldPartKey, goldPrefix } from './gold-keys.ts';
import { type GoldRow, goldOrder, goldValuesOf } from './gold-rows.ts';
import { type GoldPartSpool, memorySpool } from './gold-spool.ts';

export type { GoldRow, GoldTarget };

/** Rows per Parquet part, as in silver: bounds the writer's memory, not the partition's size. */
export const GOLD_PART_ROWS = 100_000;

export interface GoldPart {
  readonly key: string;
  /** SHA-256 of the part's bytes, hex. */
  readonly sha256: string;
  readonly rowCount: number;
  readonly sizeBytes: number;
  /** The part's bytes, from the writer's spool (memory or a local file): read once, when it is uploaded. */
  readonly read: () => Promise<Uint8Array>;
}

/** How a writer cuts and keeps parts. */
export interface GoldWriterOptions {
  /** Rows per part (GOLD_PART_ROWS). */
  readonly maxRowsPerPart?: number;
  /** Where finished parts wait until they are published (memorySpool unless given). */
  readonly spool?: GoldPartSpool;
  /** Key of part `index` (`goldPartKey` under the partition's prefix unless given: a unit names its own). */
  readonly partKey?: (index: number) => string;
  /** The buckets this writer may receive rows of (all unless given: a unit builds a range). */
  readonly buckets?: BucketRange;
}

/** A gold partition ready to write: its parts, content hash and totals. */
export interface GoldPartition {
  readonly target: GoldTarget;
  readonly prefix: string;
  readonly parts: readonly GoldPart[];
  readonly contentHash: string;
  /** Each non-empty bucket's rows and digest, in bucket order: what the content hash is computed from. */
  readonly buckets: readonly BucketDigest[];
  readonly rowCount: number;
  /** The contract's control amount (`amount_minor`) per currency, minor units as decimal strings, currencies sorted. */
  readonly sums: Record<string, string>;
  /** The same per partner, to compare with each partner's reconciliation. */
  readonly byPartner: Record<string, { rows: number; sums: Record<string, string> }>;
}

const sortedRecord = (sums: Map<string, bigint>): Record<string, string> =>
  Object.fromEntries([...sums.keys()].sort().map((currency) => [currency, String(sums.get(currency))]));

/**
 * Builds a gold partition (or a unit's range of its buckets) from rows in gold order, one row at a time, so a
 * caller can stream sorted rows (`buildGoldPartition` streams them from DuckDB). Gold order is by bucket
 * (gold-buckets.ts), then natural key, file id and row number; out-of-order rows, a bucket outside the writer's
 * range and repeated natural keys throw. Writes nothing to the gold bucket: each finished part goes to the spool,
 * and memory holds one part's rows.
 * @example const writer = new GoldPartitionWriter(target); for (const row of sorted) writer.append(row); writer.finish()
 */
export class GoldPartitionWriter {
  private readonly columns: readonly SilverColumn[];
  private readonly schema: SchemaElement[];
  private readonly contract: DatasetContract;
  private readonly digests: BucketDigest[] = [];
  private hasher: BucketHasher | null = null;
  private readonly order: ReturnType<typeof goldOrder>;
  private readonly prefix: string;
  private readonly parts: GoldPart[] = [];
  private buffer: SilverValue[][];
  private previous: GoldRow | null = null;
  private rows = 0;
  private readonly sums = new Map<string, bigint>();
  private readonly partners = new Map<string, { rows: number; sums: Map<string, bigint> }>();
  private readonly amountIndex: number;
  private readonly currencyIndex: number;
  private readonly partnerIndex: number;
  private readonly maxRowsPerPart: number;
  private readonly spool: GoldPartSpool;
  private readonly partKey: (index: number) => string;
  private readonly range: BucketRange;

  constructor(
    private readonly target: GoldTarget,
    options: GoldWriterOptions = {},
  ) {
    this.maxRowsPerPart = options.maxRowsPerPart ?? GOLD_PART_ROWS;
    this.spool = options.spool ?? memorySpool;
    this.range = options.buckets ?? { from: 0, to: GOLD_BUCKETS };
    const contract = findDataset(target.dataset, target.schemaV);
    if (!contract) throw new GoldInputError(`no dataset contract ${target.dataset} v${target.schemaV}`);
    this.contract = contract;
    this.columns = goldColumnsOf(contract);
    this.schema = [{ name: 'root', num_children: this.columns.length }, ...this.columns.map(schemaElementOf)];
    this.order = goldOrder(contract);
    this.prefix = goldPrefix(target);
    this.partKey = options.partKey ?? ((index) => goldPartKey(this.prefix, index));
    this.buffer = this.columns.map(() => []);
    const index = (name: string) => this.columns.findIndex((column) => column.name === name);
    this.amountIndex = index(contract.control.silverAmountColumn);
    this.currencyIndex = index(contract.control.silverCurrencyColumn);
    this.partnerIndex = index('partner');
  }

  /** Append the next row; `bucket` is its gold bucket when the caller has it (DuckDB computes it), else computed. */
  append(row: GoldRow, bucket: number = goldBucketOf(row, this.contract)): void {
    const values = goldValuesOf(row, this.columns, this.target);
    const hasher = this.bucketHasher(row, bucket);
    this.checkOrder(row);
    hasher.addRow(values);
    values.forEach((value, index) => {
      (this.buffer[index] as SilverValue[]).push(value);
    });
    this.count(values);
    if ((this.buffer[0]?.length ?? 0) >= this.maxRowsPerPart) this.flush();
  }

  /** Write the last part (one empty part when there is no row, so readers always get the schema) and summarise. */
  finish(): GoldPartition {
    if (this.parts.length === 0 || (this.buffer[0]?.length ?? 0) > 0) this.flush();
    if (this.hasher) this.digests.push(this.hasher.digest());
    this.hasher = null;
    return {
      target: this.target,
      prefix: this.prefix,
      parts: this.parts,
      contentHash: contentHashOf(this.target, this.columns, this.digests),
      buckets: this.digests,
      rowCount: this.rows,
      sums: sortedRecord(this.sums),
      byPartner: Object.fromEntries(
        [...this.partners.keys()].sort().map((partner) => {
          const totals = this.partners.get(partner) as { rows: number; sums: Map<string, bigint> };
          return [partner, { rows: totals.rows, sums: sortedRecord(totals.sums) }];
        }),
      ),
    };
  }

  /** The hasher of the row's bucket: a new bucket closes the previous one, and must come after it. */
  private bucketHasher(row: GoldRow, bucket: number): BucketHasher {
    if (!Number.isInteger(bucket) || bucket < this.range.from || bucket >= this.range.to)
      throw new GoldInputError(
        `row ${String(row._file_id)}:${String(row._row_number)} is in gold bucket ${bucket}, outside ${this.range.from}-${this.range.to - 1}`,
      );
    if (this.hasher?.bucket === bucket) return this.hasher;
    if (this.hasher) {
      if (bucket < this.hasher.bucket)
        throw new GoldInputError(
          `rows are not in gold order: bucket ${bucket} after ${this.hasher.bucket} at natural key ${this.order.naturalKeyOf(row)}`,
        );
      this.digests.push(this.hasher.digest());
    }
    this.previous = null;
    this.hasher = new BucketHasher(bucket);
    return this.hasher;
  }

  private checkOrder(row: GoldRow): void {
    const previous = this.previous;
    this.previous = row;
    if (!previous) return;
    const difference = this.order.compare(previous, row);
    if (difference > 0)
      throw new GoldInputError(`rows are not in gold order at natural key ${this.order.naturalKeyOf(row)}`);
    if (difference === 0)
      throw new GoldInputError(`row ${String(row._file_id)}:${String(row._row_number)} is there twice`);
    if (this.order.naturalKeyOf(previous) === this.order.naturalKeyOf(row)) {
      throw new GoldInputError(
        `natural key ${this.order.naturalKeyOf(row)} is curated twice (${String(previous._file_id)}:${String(previous._row_number)} and ${String(row._file_id)}:${String(row._row_number)}); dedup keeps one row per key, so two runs of one file were probably read`,
      );
    }
  }

  private count(values: readonly SilverValue[]): void {
    this.rows += 1;
    const partner = values[this.partnerIndex] as string;
    const totals = this.partners.get(partner) ?? { rows: 0, sums: new Map<string, bigint>() };
    this.partners.set(partner, totals);
    totals.rows += 1;
    if (this.amountIndex < 0 || this.currencyIndex < 0) return;
    const currency = values[this.currencyIndex] as string;
    const amount = values[this.amountIndex] as bigint;
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + amount);
    totals.sums.set(currency, (totals.sums.get(currency) ?? 0n) + amount);
  }

  private flush(): void {
    const rowCount = this.buffer[0]?.length ?? 0;
    // Statistics only on non-text columns, as in silver: they are what readers prune on.
    const columnData: ColumnSource[] = this.buffer.map((data, index) => ({
      name: (this.columns[index] as SilverColumn).name,
      data,
      statistics: this.columns[index]?.type !== 'STRING',
    }));
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData,
        schema: this.schema,
        rowGroupSize: Math.max(rowCount, 1),
        createdBy: 'finledger ready-publisher',
      }),
    );
    const index = this.parts.length;
    this.parts.push({
      key: this.partKey(index),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rowCount,
      sizeBytes: bytes.byteLength,
      read: this.spool.keep(index, bytes),
    });
    this.buffer = this.columns.map(() => []);
  }
}
