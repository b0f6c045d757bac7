import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import { keySegment, partNumber } from '../../lib/parquet/part-keys.ts';

/** What identifies one gold publication: every key carries the run id, so a rerun writes beside earlier runs. */
export interface GoldTarget {
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly runId: string;
  readonly schemaV: number;
}

/**
 * Folder of one run's gold partition.
 * @example goldPrefix(target) // 'gold/dataset=transactions/dt=2026-11-20/run_id=r1/'
 */
export function goldPrefix(target: GoldTarget): string {
  return [
    'gold',
    keySegment('dataset', target.dataset),
    keySegment('dt', target.businessDate),
    keySegment('run_id', target.runId),
    '',
  ].join('/');
}

export const goldPartKey = (prefix: string, index: number): string =>
  `${prefix}part-${partNumber(index)}.parquet`;

/** The ready marker beside the parts; written last, so its presence means every part is there. */
export const readyMarkerKey = (prefix: string): string => `${prefix}_READY.json`;

/**
 * Key of part `index` a gold unit writes for the buckets from `firstBucket`: units name their parts apart, so no
 * two units of a run write one key.
 * @example goldUnitPartKey(prefix, 86, 0) // `${prefix}part-b086-00000.parquet`
 */
export const goldUnitPartKey = (prefix: string, firstBucket: number, index: number): string =>
  `${prefix}part-b${String(firstBucket).padStart(3, '0')}-${partNumber(index)}.parquet`;

/**
 * Where a run's gold units find their plan: outside `gold/`, so no reader of gold ever sees it.
 * @example goldUnitsPlanKey(target) // 'gold-units/dataset=transactions/dt=2026-11-20/run_id=r1/plan.json'
 */
export const goldUnitsPlanKey = (target: GoldTarget): string =>
  `gold-units/${goldPrefix(target).slice('gold/'.length)}plan.json`;
