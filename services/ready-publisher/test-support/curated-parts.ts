import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetContract, SilverValue } from '../../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import { DEFAULT_SET_ENGINE_LIMITS, sqlText, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../../lib/file-registry/dedup-run-record.ts';
import { ParquetPartBuffer } from '../../../lib/parquet/parquet-part-buffer.ts';
import { partNumber } from '../../../lib/parquet/part-keys.ts';

/** One deduplicated file of a test day: its unique rows (silver values and row number), in the order given. */
export interface CuratedFile {
  readonly partner: string;
  readonly fileId: string;
  readonly sha256: string;
  readonly rows: readonly { readonly values: readonly SilverValue[]; readonly rowNumber: number }[];
  /** Rows per unique part. */
  readonly partRows: number;
  /** Rewrite each part with DuckDB's COPY, as dedup writes unique parts (else as schema-validate writes silver). */
  readonly viaDuckDb: boolean;
}

/** A test day's dedup runs and the bucket holding their unique parts. */
export interface CuratedDay {
  readonly runs: DedupRunRecord[];
  readonly objects: Map<string, Uint8Array>;
  getObject(ref: ObjectRef): Promise<Uint8Array>;
}

/** Rewrite parts with DuckDB's Parquet writer (`COPY … (FORMAT parquet, COMPRESSION snappy)`, as dedup does). */
async function rewrittenByDuckDb(parts: readonly Uint8Array[]): Promise<Uint8Array[]> {
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    const out: Uint8Array[] = [];
    for (const [index, bytes] of parts.entries()) {
      const source = await engine.stage(`in-${index}.parquet`, bytes);
      const target = join(engine.folder, `out-${index}.parquet`);
      await engine.db.run(
        `COPY (SELECT * FROM read_parquet(${sqlText(source)})) TO ${sqlText(target)} (FORMAT parquet, COMPRESSION snappy)`,
      );
      out.push(new Uint8Array(await readFile(target)));
    }
    return out;
  });
}

/**
 * Write each file's rows as unique parts and describe them as committed dedup runs of one business date.
 * @example const day = await curatedDay(TransactionsV1, '2026-11-20', files); await readCuratedRows(day.runs, day.getObject)
 */
export async function curatedDay(
  contract: DatasetContract,
  businessDate: string,
  files: readonly CuratedFile[],
): Promise<CuratedDay> {
  const objects = new Map<string, Uint8Array>();
  const runs: DedupRunRecord[] = [];
  for (const file of files) {
    const runId = `run_validate_${runs.length}`;
    const { partner, fileId, sha256 } = file;
    const lineage = { partner, fileId, sha256, businessDate, runId, schemaV: contract.version };
    let parts: Uint8Array[] = [];
    for (let start = 0; start === 0 || start < file.rows.length; start += file.partRows) {
      const part = new ParquetPartBuffer(contract.silverColumns, lineage);
      for (const row of file.rows.slice(start, start + file.partRows)) part.append(row.values, row.rowNumber);
      parts.push(part.finish());
    }
    if (file.viaDuckDb) parts = await rewrittenByDuckDb(parts);
    const prefix = `silver/dedup/run-${runs.length}/`;
    const keys = parts.map((bytes, index) => {
      const key = `${prefix}part-${partNumber(index)}.parquet`;
      objects.set(key, bytes);
      return key;
    });
    runs.push({
      fileId: file.fileId,
      runId,
      partner: file.partner,
      dataset: contract.name,
      businessDate,
      schemaV: contract.version,
      sha256: file.sha256,
      counts: { valid: file.rows.length, unique: file.rows.length, duplicates: 0, conflicts: 0 },
      unique: { bucket: 'silver', prefix, parts: keys },
    } as unknown as DedupRunRecord);
  }
  return {
    runs,
    objects,
    getObject: async (ref) => {
      const bytes = objects.get(ref.key);
      if (!bytes) throw new Error(`no object ${ref.key} in the test day`);
      return bytes;
    },
  };
}
