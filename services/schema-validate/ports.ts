import { JSON_LINES_PART_ENTRIES, MAX_PARTNER_FILE_BYTES, SILVER_PART_ROWS } from '../../config/limits.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';

/** An object opened for streaming: its size is known before a byte is read. */
export interface OpenedObject {
  readonly sizeBytes: number;
  /** The bytes, read lazily; stopping the iteration early must release the underlying stream. */
  readonly body: AsyncIterable<Uint8Array>;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What validating a file needs from the world. */
export interface SchemaValidatePorts {
  /**
   * Size (without reading) and a lazy byte stream of an object, or of the bytes `range.start` to `range.end`
   * (exclusive) of it: one chunk of a file validated in chunks. `sizeBytes` is the whole object's.
   */
  openObject(ref: ObjectRef, range?: ByteRange): Promise<OpenedObject>;
  /** Write one finished part (Parquet or JSON Lines); overwriting the same key on a retry is expected. */
  putObject(ref: ObjectRef, bytes: Uint8Array): Promise<void>;
}

/** Limits and names the use case runs with; `side-effects.ts` reads them from the environment. */
export interface SchemaValidateConfig {
  readonly buckets: { readonly silver: string; readonly quarantine: string };
  /** Secret for card fingerprints (HMAC-SHA256); at least 16 bytes. */
  readonly panHmacKey: string;
  /** Rows per silver Parquet part. */
  readonly partRows: number;
  /** Entries and characters per quarantine JSON Lines part. */
  readonly quarantinePartEntries: number;
  readonly quarantinePartCharacters: number;
  /** Objects above this size are refused before reading (OBJECT_TOO_LARGE). */
  readonly maxObjectBytes: number;
  /** Records above this many characters are refused (RECORD_TOO_LARGE). */
  readonly maxRecordSize: number;
  /** Quarantined / rowsIn above this rejects the file (QUARANTINE_RATE_EXCEEDED). */
  readonly quarantineRejectRate: number;
}

/** Defaults for everything but names and secrets. */
export const DEFAULT_LIMITS = {
  partRows: SILVER_PART_ROWS,
  quarantinePartEntries: JSON_LINES_PART_ENTRIES,
  quarantinePartCharacters: 16 * 1024 * 1024,
  maxObjectBytes: MAX_PARTNER_FILE_BYTES,
  maxRecordSize: 1024 * 1024,
  quarantineRejectRate: 0.2,
} as const satisfies Partial<SchemaValidateConfig>;
