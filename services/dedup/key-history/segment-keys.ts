import { keySegment } from '../../../lib/parquet/part-keys.ts';
import type { HistoryScope } from '../ports.ts';
import { bucketLabel } from './key-buckets.ts';

/**
 * Folder of a history bucket's segments in the silver bucket (outside `silver/`, so no reader of silver
 * rows ever lists them).
 * @example historyPrefix({ dataset: 'transactions', partner: 'acme-bank', bucket: 'a' }) // 'history/dedup/dataset=transactions/source=acme-bank/bucket=a/'
 */
export function historyPrefix(scope: HistoryScope): string {
  return `history/dedup/${keySegment('dataset', scope.dataset)}/${keySegment('source', scope.partner)}/${keySegment('bucket', bucketLabel(scope.bucket))}/`;
}

/**
 * The segment that would make `version`, named by its writer's id (`seg_<24 hex>`, random per attempt), so a
 * refused attempt never overwrites a segment a manifest points at (only one writer's swap can create a version).
 * @example segmentKey(scope, 7, 'seg_3bee…') // 'history/dedup/dataset=…/source=…/bucket=a/v=000000007/seg_3bee….parquet'
 */
export function segmentKey(scope: HistoryScope, version: number, writer: string): string {
  if (!/^seg_[0-9a-f]{24}$/.test(writer)) throw new Error(`Segment writer ${writer} is not a seg_ id.`);
  return `${historyPrefix(scope)}${keySegment('v', String(version).padStart(9, '0'))}/${writer}.parquet`;
}

/** DynamoDB item key of a history bucket's manifest. */
export const manifestKey = (scope: HistoryScope): string =>
  `HISTORY#${scope.dataset}#${scope.partner}#${bucketLabel(scope.bucket)}`;
