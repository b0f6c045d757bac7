import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';

/** What identifies one gold publication: every key carries the run id, so a rerun writes beside earlier runs. */
export interface GoldTarget {
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly runId: string;
  readonly schemaV: number;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Key segments come from event fields; allow-list them so no value can escape its folder (`../`, `/`). */
function segment(name: string, value: string): string {
  if (!SAFE_SEGMENT.test(value))
    throw new Error(`Refusing ${name}="${value}" as an object key segment; it must match ${SAFE_SEGMENT}.`);
  return `${name}=${value}`;
}

/**
 * Folder of one run's gold partition.
 * @example goldPrefix(target) // 'gold/dataset=transactions/dt=2026-11-20/run_id=r1/'
 */
export function goldPrefix(target: GoldTarget): string {
  return [
    'gold',
    segment('dataset', target.dataset),
    segment('dt', target.businessDate),
    segment('run_id', target.runId),
    '',
  ].join('/');
}

export const goldPartKey = (prefix: string, index: number): string =>
  `${prefix}part-${String(index).padStart(5, '0')}.parquet`;

/** The ready marker beside the parts; written last, so its presence means every part is there. */
export const readyMarkerKey = (prefix: string): string => `${prefix}_READY.json`;
