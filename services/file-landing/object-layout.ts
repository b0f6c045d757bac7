import type { LandingRoute } from './landing-key.ts';

/** Hive-style partition path shared by the raw and restricted copies. */
function partitionPath(route: LandingRoute, fileId: string): string {
  return `source=${route.partner}/dataset=${route.dataset}/dt=${route.businessDate}/file_id=${fileId}/${route.fileName}`;
}

/**
 * Immutable copy in the raw bucket (Object Lock in production).
 * @example rawObjectKey(route, 'f_0123…') // 'raw/source=acme-bank/dataset=transactions/dt=2026-11-19/file_id=f_0123…/tx.csv'
 */
export const rawObjectKey = (route: LandingRoute, fileId: string): string =>
  `raw/${partitionPath(route, fileId)}`;

/** Copy of a file holding card numbers, in the quarantine bucket: deletable, KMS, never Object Lock. */
export const restrictedObjectKey = (route: LandingRoute, fileId: string): string =>
  `restricted/${partitionPath(route, fileId)}`;

/**
 * Where an object with an unroutable key is parked, named by content hash (or a delivery digest), never by its key.
 * Objects holding card numbers go under `restricted/` even when unroutable.
 */
export function unroutableObjectKey(date: string, objectId: string, cardDataDetected: boolean): string {
  return `${cardDataDetected ? 'restricted' : 'quarantine'}/unroutable/${date}/${objectId}`;
}
