import { findDataset } from '../../contracts/datasets/catalog.ts';
import { dateToEpochDays } from '../../contracts/datasets/fields.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { readSilverPart } from '../../lib/parquet/silver-part-reader.ts';
import { GoldInputError } from './errors.ts';
import type { GoldRow } from './gold-rows.ts';
import type { ReadyPorts } from './ports.ts';

/** The one schema version of the runs gold reads (a partition holds one); null when there is no run. */
export function schemaVersionOf(runs: readonly DedupRunRecord[]): number | null {
  const versions = [...new Set(runs.map((run) => run.schemaV))];
  if (versions.length > 1)
    throw new GoldInputError(
      `the dedup runs hold schema versions ${versions.join(', ')}; one partition holds one`,
    );
  return versions[0] ?? null;
}

/**
 * The curated rows of a day: every unique part of each file's latest dedup run, with lineage from the run record.
 * Parts are bounded by dedup's part size, so each is read whole.
 */
export async function readCuratedRows(
  runs: readonly DedupRunRecord[],
  getObject: ReadyPorts['getObject'],
): Promise<GoldRow[]> {
  const rows: GoldRow[] = [];
  for (const run of runs) {
    const contract = findDataset(run.dataset, run.schemaV);
    if (!contract) throw new GoldInputError(`no dataset contract ${run.dataset} v${run.schemaV}`);
    for (const key of run.unique.parts) {
      const part = await readSilverPart(await getObject({ bucket: run.unique.bucket, key }), contract);
      for (let index = 0; index < part.length; index += 1) {
        if (part.fileId(index) !== run.fileId)
          throw new GoldInputError(`part ${key} of ${run.fileId} holds a row of ${part.fileId(index)}`);
        const values = part.values(index);
        rows.push({
          ...Object.fromEntries(
            contract.silverColumns.map((column, at) => [column.name, values[at] ?? null]),
          ),
          partner: run.partner,
          business_date: dateToEpochDays(run.businessDate),
          _file_id: run.fileId,
          _file_sha256: run.sha256,
          _row_number: BigInt(part.rowNumber(index)),
          _schema_v: run.schemaV,
        });
      }
    }
  }
  return rows;
}
