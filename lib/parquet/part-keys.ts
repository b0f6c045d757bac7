import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';

/** What identifies one validation run of one file in the lake's key layout. */
export interface RunIdentity {
  readonly dataset: DatasetName;
  readonly partner: string;
  readonly businessDate: string;
  readonly runId: string;
  readonly fileId: string;
  readonly schemaV: number;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * One `name=value` folder of an object key. Values come from event fields; allow-list them so no value can escape its
 * folder (`../`, `/`).
 * @example keySegment('dt', '2026-11-20') // 'dt=2026-11-20'
 */
export function keySegment(name: string, value: string | number): string {
  const text = String(value);
  if (!SAFE_SEGMENT.test(text))
    throw new Error(`Refusing ${name}="${text}" as an object key segment; it must match ${SAFE_SEGMENT}.`);
  return `${name}=${text}`;
}

/**
 * Folder of the run's silver parts.
 * @example silverPrefix(run) // 'silver/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=r1/schema_v=1/file_id=f_…/'
 */
export function silverPrefix(run: RunIdentity): string {
  return [
    'silver',
    keySegment('dataset', run.dataset),
    keySegment('source', run.partner),
    keySegment('dt', run.businessDate),
    keySegment('run_id', run.runId),
    keySegment('schema_v', run.schemaV),
    keySegment('file_id', run.fileId),
    '',
  ].join('/');
}

/**
 * Folder of the run's quarantine parts.
 * @example quarantinePrefix(run) // 'quarantine/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=r1/file_id=f_…/'
 */
export function quarantinePrefix(run: RunIdentity): string {
  return [
    'quarantine',
    keySegment('dataset', run.dataset),
    keySegment('source', run.partner),
    keySegment('dt', run.businessDate),
    keySegment('run_id', run.runId),
    keySegment('file_id', run.fileId),
    '',
  ].join('/');
}

/** Part numbers are five digits so keys list in write order. */
export const partNumber = (index: number): string => String(index).padStart(5, '0');

export const silverPartKey = (prefix: string, index: number): string =>
  `${prefix}part-${partNumber(index)}.parquet`;
export const quarantinePartKey = (prefix: string, index: number): string =>
  `${prefix}rows-${partNumber(index)}.jsonl`;
