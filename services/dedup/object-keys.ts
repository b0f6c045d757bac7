import {
  partNumber,
  quarantinePartKey,
  quarantinePrefix,
  type RunIdentity,
  silverPartKey,
  silverPrefix,
} from '../../lib/parquet/part-keys.ts';

export type { RunIdentity };

/**
 * Folder of a run's unique rows: schema-validate's silver layout under a sibling `silver/dedup/` root.
 * Not a subfolder of the validated parts' `file_id=…/`: anything reading `silver/dataset=…/` recursively
 * (Hive partition discovery, a Glue/Athena table location) would then read every row twice.
 * @example uniquePrefix(run) // 'silver/dedup/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=r1/schema_v=1/file_id=f_…/'
 */
export function uniquePrefix(run: RunIdentity): string {
  return `silver/dedup/${silverPrefix(run).slice('silver/'.length)}`;
}

/**
 * Folder of a run's dropped duplicates or quarantined conflicts, beside schema-validate's row quarantine.
 * @example dedupQuarantinePrefix(run, 'conflicts') // 'quarantine/dedup/dataset=…/source=…/dt=…/run_id=…/file_id=…/conflicts/'
 */
export function dedupQuarantinePrefix(run: RunIdentity, kind: 'duplicates' | 'conflicts'): string {
  return `quarantine/dedup/${quarantinePrefix(run).slice('quarantine/'.length)}${kind}/`;
}

/**
 * Sub-folder of a work unit's parts under the run's folders, so units never share a part key.
 * @example unitFolder(3) // 'unit-00003/'
 */
export const unitFolder = (index: number): string => `unit-${partNumber(index)}/`;

export { quarantinePartKey as entriesPartKey, silverPartKey as uniquePartKey };
