import type { BucketName, Topology } from '../../../topology/types.ts';
import type { CardFinding } from './findings.ts';

/** What one scan read, per kind of store. */
export interface ScanCounts {
  buckets: number;
  /** Objects (and object versions) whose key and content were read. */
  objects: number;
  /** Objects under a card-data prefix: counted, neither key nor content read. */
  restrictedObjects: number;
  tables: number;
  items: number;
  archiveFiles: number;
  archivedEvents: number;
  queues: number;
  messages: number;
  logFiles: number;
  logLines: number;
}

/** A scan's outcome: findings (masked), what was read, and what could not be read or is not kept offline. */
export interface ScanReport {
  readonly findings: CardFinding[];
  readonly scanned: ScanCounts;
  /** Facts about coverage, such as object versions the emulator does not keep. */
  readonly notes: string[];
  /** Stores or entries that could not be read: the scan proves nothing about them. */
  readonly errors: string[];
}

export function emptyScanReport(): ScanReport {
  return {
    findings: [],
    scanned: {
      buckets: 0,
      objects: 0,
      restrictedObjects: 0,
      tables: 0,
      items: 0,
      archiveFiles: 0,
      archivedEvents: 0,
      queues: 0,
      messages: 0,
      logFiles: 0,
      logLines: 0,
    },
    notes: [],
    errors: [],
  };
}

/** Whether a stored object may hold card numbers in clear, by physical bucket name and key. */
export type CardDataLocation = (bucket: string, key: string) => boolean;

/**
 * The topology's card-data prefixes (`cardDataPrefixes`: quarantine's `restricted/`) by physical bucket name.
 * @example cardDataLocations(topology, (name) => `finledger-local-${name}`)('finledger-local-quarantine', 'restricted/a.csv') // true
 */
export function cardDataLocations(
  topology: Pick<Topology, 'buckets'>,
  physicalName: (bucket: BucketName) => string | undefined,
): CardDataLocation {
  const prefixes = new Map<string, readonly string[]>();
  for (const bucket of topology.buckets) {
    const name = physicalName(bucket.name);
    if (name && bucket.cardDataPrefixes?.length) prefixes.set(name, bucket.cardDataPrefixes);
  }
  return (bucket, key) => prefixes.get(bucket)?.some((prefix) => key.startsWith(prefix)) ?? false;
}

/**
 * One line saying what was read.
 * @example formatScanned(report.scanned) // '5 buckets (120 objects read, 3 restricted objects skipped), 4 tables (800 items), …'
 */
export function formatScanned(scanned: ScanCounts): string {
  return [
    `${scanned.buckets} buckets (${scanned.objects} objects read, ${scanned.restrictedObjects} restricted objects skipped)`,
    `${scanned.tables} tables (${scanned.items} items)`,
    `${scanned.archivedEvents} archived events (${scanned.archiveFiles} archive files)`,
    `${scanned.queues} queues (${scanned.messages} messages)`,
    `${scanned.logFiles} log files (${scanned.logLines} lines)`,
  ].join(', ');
}
