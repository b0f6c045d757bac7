import type { SilverValue } from '../../../contracts/datasets/dataset-contract.ts';
import { SettlementsV1 } from '../../../contracts/datasets/settlements.ts';
import { TransactionsV1 } from '../../../contracts/datasets/transactions.ts';
import { ParquetPartBuffer } from '../../../lib/parquet/parquet-part-buffer.ts';
import type { Random } from '../../../test/sample-data/prng.ts';
import type { DedupRunRef, MatchObjects } from '../ports.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';

/** Silver values the matching never reads, so any valid value will do. */
const FILLER: Readonly<Record<string, SilverValue>> = {
  currency_exponent: 2,
  occurred_at: 0n,
  occurred_at_text: '1970-01-01T00:00:00Z',
  settled_at: 0n,
  settled_at_text: '1970-01-01T00:00:00Z',
  merchant_id: 'm-1',
};

/** A window's rows written as silver unique parts, and an object store that serves them and keeps what is put. */
export interface SilverWindow {
  readonly runs: DedupRunRef[];
  readonly objects: MatchObjects;
  /** Every object put (result parts), by key. */
  readonly written: Map<string, Uint8Array>;
}

type Row = MatchableTransaction | MatchableSettlement;

/** Cut a file's rows into parts: one part, or random sizes when a source of randomness is given. */
function partsOf<T>(rows: readonly T[], random: Random | undefined): T[][] {
  if (!random || rows.length < 2) return [[...rows]];
  const parts: T[][] = [];
  for (let from = 0; from < rows.length; ) {
    const size = random.int(1, rows.length - from);
    parts.push(rows.slice(from, from + size));
    from += size;
  }
  return parts;
}

/**
 * Write rows as the silver unique parts of their files (one dedup run per `_file_id`, lineage from the rows), in
 * the order given; with `random`, each file is cut into parts of random sizes.
 * @example const window = silverWindow(transactions, settlements); matchWindowInSql(engine, { ..., runs: window.runs, objects: window.objects })
 */
export function silverWindow(
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  random?: Random,
): SilverWindow {
  const stored = new Map<string, Uint8Array>();
  const written = new Map<string, Uint8Array>();
  const runs: DedupRunRef[] = [];
  const files = new Map<string, { dataset: 'transactions' | 'settlements'; rows: Row[] }>();
  for (const [dataset, rows] of [
    ['transactions', transactions],
    ['settlements', settlements],
  ] as const)
    for (const row of rows) {
      const file = files.get(row._file_id) ?? { dataset, rows: [] };
      file.rows.push(row);
      files.set(row._file_id, file);
    }
  for (const [fileId, { dataset, rows }] of files) {
    const contract = dataset === 'transactions' ? TransactionsV1 : SettlementsV1;
    const first = rows[0] as Row;
    const prefix = `silver/dedup/${fileId}/`;
    const parts = partsOf(rows, random).map((partRows, index) => {
      const buffer = new ParquetPartBuffer(contract.silverColumns, {
        partner: first.partner,
        businessDate: first.business_date,
        fileId,
        sha256: 'a'.repeat(64),
        runId: first._run_id,
        schemaV: 1,
      });
      for (const row of partRows) {
        const values = row as unknown as Record<string, SilverValue>;
        buffer.append(
          contract.silverColumns.map((column) => values[column.name] ?? FILLER[column.name] ?? null),
          Number(row._row_number),
        );
      }
      const key = `${prefix}part-${String(index).padStart(5, '0')}.parquet`;
      stored.set(key, buffer.finish());
      return key;
    });
    runs.push({
      fileId,
      partner: first.partner,
      dataset,
      businessDate: first.business_date,
      schemaV: 1,
      runId: first._run_id,
      unique: { bucket: 'silver', prefix, parts },
      uniqueRows: rows.length,
      committedAt: '2026-11-20T20:00:00Z',
    });
  }
  const objects: MatchObjects = {
    getObject: async (ref) => {
      const bytes = stored.get(ref.key) ?? written.get(ref.key);
      if (!bytes) throw new Error(`no object ${ref.key}`);
      return bytes;
    },
    putObject: async (ref, bytes) => {
      written.set(ref.key, bytes);
    },
  };
  return { runs, objects, written };
}
