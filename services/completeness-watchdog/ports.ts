import type { FileRecord } from '../../lib/file-registry/file-record.ts';

/** What the watchdog needs from the world. */
export interface WatchdogPorts {
  /** Open (non-terminal) files that opened before `before`. */
  listOpen(before: string): Promise<FileRecord[]>;
  /** Publish the outbox entry with this eventId again; false when the entry no longer exists. */
  republish(eventId: string): Promise<boolean>;
  /** Count a re-drive; false when the file closed since it was listed (nothing to re-drive). */
  recordRedrive(fileId: string, at: string): Promise<boolean>;
}
