import { describe, expect, it } from 'vitest';
import { FileValidatedV1 } from '../contracts/events/catalog.ts';
import { createEvent, MAX_EVENT_DETAIL_BYTES } from '../lib/outbox/event-factory.ts';
import {
  partNumber,
  quarantinePartKey,
  quarantinePrefix,
  silverPartKey,
  silverPrefix,
} from '../lib/parquet/part-keys.ts';
import {
  JSON_LINES_PART_ENTRIES,
  MAX_PARTNER_FILE_BYTES,
  SILVER_PART_ROWS,
  VALIDATION_CHUNK_BYTES,
} from './limits.ts';

/** ~150-byte transaction rows (the bench's and the partners' typical width). */
const ROW_BYTES = 150;
/** The share of a file schema-validate quarantines before it rejects the whole file (its usual reject rate). */
const QUARANTINE_RATE = 0.05;
/** Quarantine entries that fill a part's 16 Mi characters (~300 characters each). */
const ENTRIES_PER_QUARANTINE_PART = Math.min(JSON_LINES_PART_ENTRIES, Math.floor((16 * 1024 * 1024) / 300));

describe('part sizes against the bus', () => {
  it('keeps the FileValidated of the largest accepted file, validated in chunks, inside the bus limit', () => {
    // Prepare: a 50 GiB file cut into chunks, each chunk's rows in parts of SILVER_PART_ROWS, 5 % quarantined
    const run = {
      dataset: 'transactions' as const,
      partner: 'initech-acq',
      businessDate: '2026-11-20',
      runId: `run_${'0123456789abcdef'.repeat(2)}`,
      fileId: `f_${'0123456789abcdef01234567'}`,
      schemaV: 1,
    };
    const chunks = Math.ceil(MAX_PARTNER_FILE_BYTES / VALIDATION_CHUNK_BYTES);
    const rowsPerChunk = Math.ceil(VALIDATION_CHUNK_BYTES / ROW_BYTES);
    const silver = silverPrefix(run);
    const quarantine = quarantinePrefix(run);
    const chunkKeys = (prefix: string, perChunk: number, key: (folder: string, index: number) => string) =>
      Array.from({ length: chunks }, (_, chunk) =>
        Array.from({ length: perChunk }, (_, index) => key(`${prefix}chunk-${partNumber(chunk)}/`, index)),
      ).flat();
    const silverParts = chunkKeys(silver, Math.ceil(rowsPerChunk / SILVER_PART_ROWS), silverPartKey);
    const quarantineParts = chunkKeys(
      quarantine,
      Math.ceil((rowsPerChunk * QUARANTINE_RATE) / ENTRIES_PER_QUARANTINE_PART),
      quarantinePartKey,
    );
    const rows = chunks * rowsPerChunk;
    const quarantined = Math.round(rows * QUARANTINE_RATE);

    // Act
    const build = () =>
      createEvent(
        FileValidatedV1,
        {
          producer: 'schema-validate-chunk',
          correlationId: run.fileId,
          causationId: 'landed',
          runId: run.runId,
        },
        {
          fileId: run.fileId,
          partner: run.partner,
          dataset: run.dataset,
          businessDate: run.businessDate,
          schemaV: 1,
          sha256: 'a'.repeat(64),
          counts: { rowsIn: rows, valid: rows - quarantined, quarantined },
          silver: { bucket: 'finledger-prod-silver', prefix: silver, parts: silverParts },
          quarantine: { bucket: 'finledger-prod-quarantine', prefix: quarantine, parts: quarantineParts },
          controlTotals: { declared: null, computed: { rowCount: rows, sums: { EUR: '1' } } },
          validTotals: { rowCount: rows - quarantined, sums: { EUR: '1' } },
        },
      );

    // Assess: it fits, with room; with parts of 100k rows it would not
    const bytes = Buffer.byteLength(JSON.stringify(build()));
    expect(bytes).toBeLessThan(MAX_EVENT_DETAIL_BYTES * 0.75);
    expect(silverParts.length * Math.ceil(SILVER_PART_ROWS / 100_000)).toBeGreaterThan(
      MAX_EVENT_DETAIL_BYTES / (silverParts[0]?.length ?? 1),
    );
  });
});
