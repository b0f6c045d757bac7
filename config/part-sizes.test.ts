import { describe, expect, it } from 'vitest';
import { FileValidatedV1, RecordsDeduplicatedV1, SettlementsMatchedV1 } from '../contracts/events/catalog.ts';
import type { PartsRef } from '../contracts/events/envelope.ts';
import { createEvent, EventTooLargeError, MAX_EVENT_DETAIL_BYTES } from '../lib/outbox/event-factory.ts';
import {
  partNumber,
  quarantinePartKey,
  quarantinePrefix,
  silverPartKey,
  silverPrefix,
} from '../lib/parquet/part-keys.ts';
import type { RecordsDeduplicatedPayload } from '../services/dedup/dedup.ts';
import {
  dedupQuarantinePrefix,
  entriesPartKey,
  uniquePartKey,
  uniquePrefix,
  unitFolder,
} from '../services/dedup/object-keys.ts';
import { recordsDeduplicatedEvent } from '../services/dedup/records-deduplicated-event.ts';
import { matchesPrefix } from '../services/settlement-match/match-run.ts';
import { settlementsMatchedEvent } from '../services/settlement-match/settlements-matched-event.ts';
import fixture from '../test/events/settlements-matched-v2.json' with { type: 'json' };
import {
  DEDUP_UNIT_ROWS,
  JSON_LINES_PART_ENTRIES,
  MAX_MATCH_WINDOW_ROWS,
  MAX_PARTNER_FILE_BYTES,
  PARTS_LISTED_INLINE_MAX,
  SILVER_PART_ROWS,
  VALIDATION_CHUNK_BYTES,
} from './limits.ts';

/** ~150-byte transaction rows (the bench's and the partners' typical width). */
const ROW_BYTES = 150;
/** The share of a file schema-validate quarantines before it rejects the whole file (its usual reject rate). */
const QUARANTINE_RATE = 0.05;
/** Quarantine entries that fill a part's 16 Mi characters (~300 characters each). */
const ENTRIES_PER_QUARANTINE_PART = Math.min(JSON_LINES_PART_ENTRIES, Math.floor((16 * 1024 * 1024) / 300));

/** The run of the largest accepted file, with ids as long as real ones (key lengths are what is measured). */
const LARGEST_FILE_RUN = {
  dataset: 'transactions' as const,
  partner: 'initech-acq',
  businessDate: '2026-11-20',
  runId: `run_${'0123456789abcdef'.repeat(2)}`,
  fileId: `f_${'0123456789abcdef01234567'}`,
  schemaV: 1,
};

/** The largest file as both payloads name it: its identity, schema and content hash. */
const LARGEST_FILE = {
  fileId: LARGEST_FILE_RUN.fileId,
  partner: LARGEST_FILE_RUN.partner,
  dataset: LARGEST_FILE_RUN.dataset,
  businessDate: LARGEST_FILE_RUN.businessDate,
  schemaV: LARGEST_FILE_RUN.schemaV,
  sha256: 'a'.repeat(64),
};

describe('part sizes against the bus', () => {
  it('keeps the FileValidated of the largest accepted file, validated in chunks, inside the bus limit', () => {
    // Prepare: a 50 GiB file cut into chunks, each chunk's rows in parts of SILVER_PART_ROWS, 5 % quarantined
    const chunks = Math.ceil(MAX_PARTNER_FILE_BYTES / VALIDATION_CHUNK_BYTES);
    const rowsPerChunk = Math.ceil(VALIDATION_CHUNK_BYTES / ROW_BYTES);
    const silver = silverPrefix(LARGEST_FILE_RUN);
    const quarantine = quarantinePrefix(LARGEST_FILE_RUN);
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
          correlationId: LARGEST_FILE_RUN.fileId,
          causationId: 'landed',
          runId: LARGEST_FILE_RUN.runId,
        },
        {
          ...LARGEST_FILE,
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

// The dedup of the largest accepted file, in its most units (16, one per history bucket), as units name parts.
const ROWS = Math.ceil(MAX_PARTNER_FILE_BYTES / ROW_BYTES);
const UNITS = Math.min(16, Math.ceil(ROWS / DEDUP_UNIT_ROWS));

/** `count` parts spread over the units' folders under `prefix`, as joined units list them. */
function unitParts(bucket: string, prefix: string, count: number, key: typeof uniquePartKey): PartsRef {
  const perUnit = Math.ceil(count / UNITS);
  const parts = Array.from({ length: count }, (_, index) =>
    key(`${prefix}${unitFolder(Math.floor(index / perUnit))}`, index % perUnit),
  );
  return { bucket, prefix, parts };
}

function dedupPayload(
  counts: { unique: number; duplicates: number; conflicts: number },
  parts: {
    unique: number;
    duplicates: number;
    conflicts: number;
  },
): RecordsDeduplicatedPayload {
  const totals = (rowCount: number) => ({
    rowCount,
    sums: rowCount > 0 ? { EUR: '9'.repeat(15) } : ({} as Record<string, string>),
  });
  const entries = (kind: 'duplicates' | 'conflicts') =>
    counts[kind] === 0
      ? null
      : unitParts(
          'finledger-prod-quarantine',
          dedupQuarantinePrefix(LARGEST_FILE_RUN, kind),
          parts[kind],
          entriesPartKey,
        );
  return {
    ...LARGEST_FILE,
    counts: { valid: counts.unique + counts.duplicates + counts.conflicts, ...counts },
    totals: {
      unique: totals(counts.unique),
      duplicates: totals(counts.duplicates),
      conflicts: totals(counts.conflicts),
    },
    unique: unitParts('finledger-prod-silver', uniquePrefix(LARGEST_FILE_RUN), parts.unique, uniquePartKey),
    duplicates: entries('duplicates'),
    conflicts: entries('conflicts'),
  };
}

const dedupOrigin = {
  producer: 'dedup-unit',
  correlationId: 'c',
  causationId: 'validated',
  runId: LARGEST_FILE_RUN.runId,
};
const manifests = { putObject: async () => {} };

describe('RecordsDeduplicated against the bus', () => {
  it('announces a 50 GiB file that is all duplicates as v2, which fits where v1 could not', async () => {
    // Prepare: every row a duplicate, in parts of JSON_LINES_PART_ENTRIES (~7,200); each unit writes one empty unique part
    const duplicateParts = Math.ceil(ROWS / ENTRIES_PER_QUARANTINE_PART);
    const payload = dedupPayload(
      { unique: 0, duplicates: ROWS, conflicts: 0 },
      { unique: UNITS, duplicates: duplicateParts, conflicts: 0 },
    );

    // Act
    const event = await recordsDeduplicatedEvent(payload, dedupOrigin, manifests, PARTS_LISTED_INLINE_MAX);

    // Assess
    expect(event.version).toBe(2);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(MAX_EVENT_DETAIL_BYTES * 0.1);
    expect(() => createEvent(RecordsDeduplicatedV1, dedupOrigin, payload)).toThrow(EventTooLargeError);
  });

  it('fits as v1 with both entry lists at PARTS_LISTED_INLINE_MAX and the unique parts of a 50 GiB file', async () => {
    // Prepare: the longest lists still listed, beside the most unique parts a file can have (1M rows a part)
    const payload = dedupPayload(
      {
        unique: ROWS - 2 * PARTS_LISTED_INLINE_MAX,
        duplicates: PARTS_LISTED_INLINE_MAX,
        conflicts: PARTS_LISTED_INLINE_MAX,
      },
      {
        unique: Math.ceil(ROWS / SILVER_PART_ROWS),
        duplicates: PARTS_LISTED_INLINE_MAX,
        conflicts: PARTS_LISTED_INLINE_MAX,
      },
    );

    // Act
    const event = await recordsDeduplicatedEvent(payload, dedupOrigin, manifests, PARTS_LISTED_INLINE_MAX);

    // Assess: v1, with room for longer partner names and run ids
    expect(event.version).toBe(1);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(MAX_EVENT_DETAIL_BYTES * 0.95);
  });
});

/** ≈ records per result JSON Lines part (16 MiB of ~800-character records), as settlement-match writes them. */
const RESULT_RECORDS_PER_PART = 20_000;

describe('SettlementsMatched against the bus', () => {
  it.each([
    ['an 8M-row window (400 result parts), v1 as before', 8_000_000, 1, false],
    ['a 20M-row window (1,000 result parts), v2', 20_000_000, 2, false],
    ['the largest window (MAX_MATCH_WINDOW_ROWS), v2 where v1 could not fit', MAX_MATCH_WINDOW_ROWS, 2, true],
  ])('announces %s', async (_name, rows, version, tooLargeAsV1) => {
    // Prepare: the window matched in units of 1M rows, each writing its parts in its own folder
    const prefix = matchesPrefix('initech-acq', '2026-11-20', `mr_${'0123456789abcdef'.repeat(2)}`);
    const partsPerUnit = Math.ceil(1_000_000 / RESULT_RECORDS_PER_PART);
    const parts = Array.from(
      { length: Math.ceil(rows / RESULT_RECORDS_PER_PART) },
      (_, index) =>
        `${prefix}unit-${partNumber(Math.floor(index / partsPerUnit))}/part-${partNumber(index % partsPerUnit)}.jsonl`,
    );
    const payload = {
      ...SettlementsMatchedV1.schema.shape.data.parse({
        ...fixture.detail.data,
        results: { bucket: 'finledger-prod-silver', prefix, parts: ['p'] },
      }),
      results: { bucket: 'finledger-prod-silver', prefix, parts },
    };
    const origin = { producer: 'settlement-match', correlationId: 'c', causationId: 'd', runId: 'mr' };

    // Act
    const announce = (listedMax: number) => settlementsMatchedEvent(payload, origin, manifests, listedMax);

    // Assess: v1 listed every part, past the bus near 45M rows; the list no longer bounds MAX_MATCH_WINDOW_ROWS
    const event = await announce(PARTS_LISTED_INLINE_MAX);
    expect(event.version).toBe(version);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(MAX_EVENT_DETAIL_BYTES * 0.5);
    if (tooLargeAsV1) await expect(announce(Number.POSITIVE_INFINITY)).rejects.toThrow(EventTooLargeError);
  });
});
