import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { findMatchingRules, type MatchingRules } from '../../config/matching-rules.ts';
import {
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
  SettlementsMatchedV1,
} from '../../contracts/events/catalog.ts';
import { isPartsManifestRef } from '../../contracts/events/parts-manifest-ref.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { readPartKeys } from '../../lib/parts-manifest/parts-manifest.ts';
import { memoryUnitLedger } from '../../lib/work-units/test-support/memory-unit-ledger.ts';
import fixture from '../../test/events/records-deduplicated-v2.json' with { type: 'json' };
import { createRandom } from '../../test/sample-data/prng.ts';
import type { MatchCommit } from './adapters/dynamo-match-committer.ts';
import { processRecordsDeduplicated, settlementMatchConsumer, triggerOf } from './handler.ts';
import { DEFAULT_MATCH_LIMITS, type DedupRunRef } from './ports.ts';
import type { SettlementMatchDeps } from './side-effects.ts';
import { randomRows, withLineage } from './test-support/random-window.ts';
import { silverWindow } from './test-support/silver-window.ts';
import { processMatchUnit } from './unit-handler.ts';
import type { MatchUnit, MatchUnitResult, MatchUnitsWork } from './units/match-unit-run.ts';

const FILE_ID = 'f_0123456789abcdef01234567';

/** RecordsDeduplicated of one acme-bank transactions file of 2026-11-20, as dedup publishes it. */
const deduplicated = createEvent(
  RecordsDeduplicatedV1,
  { producer: 'dedup', correlationId: 'c', causationId: 'e', runId: 'run_1' },
  {
    fileId: FILE_ID,
    partner: 'acme-bank',
    dataset: 'transactions',
    businessDate: '2026-11-20',
    schemaV: 1,
    sha256: 'a'.repeat(64),
    counts: { valid: 1, unique: 1, duplicates: 0, conflicts: 0 },
    totals: {
      unique: { rowCount: 1, sums: { EUR: '100' } },
      duplicates: { rowCount: 0, sums: {} },
      conflicts: { rowCount: 0, sums: {} },
    },
    unique: { bucket: 'silver', prefix: 'silver/dedup/x/', parts: ['silver/dedup/x/part-00000.parquet'] },
    duplicates: null,
    conflicts: null,
  },
);

/** Deps whose registry says `awaiting` are still to be deduplicated; every other use is recorded. */
function depsWith(awaiting: string[]) {
  const touched: string[] = [];
  const deps: SettlementMatchDeps = {
    ports: {
      filesAwaitingDedup: async () => awaiting,
      dedupRuns: async (date) => {
        touched.push(`dedupRuns ${date}`);
        return [];
      },
      objects: {
        getObject: async (ref) => {
          touched.push(`read ${ref.key}`);
          throw new Error('not expected to read');
        },
        putObject: async () => {},
      },
    },
    config: { ...DEFAULT_MATCH_LIMITS, silverBucket: 'silver' },
    commit: async () => {
      touched.push('commit');
      return 'committed';
    },
  };
  return { deps, touched };
}

describe('processRecordsDeduplicated', () => {
  it('leaves the window to a file of the same date still being deduplicated, reading and committing nothing', async () => {
    // Prepare
    const { deps, touched } = depsWith(['f_fedcba9876543210fedcba98']);

    // Act
    const result = await processRecordsDeduplicated(deduplicated, deps);

    // Assess
    expect(result).toMatchObject({
      matchRunId: '',
      committed: false,
      deferredTo: ['f_fedcba9876543210fedcba98'],
    });
    expect(touched).toEqual([]);
  });

  it('matches the window when no other file of the date awaits dedup', async () => {
    // Prepare: the window's registry is read; the trigger's own part is where reading stops.
    const { deps, touched } = depsWith([FILE_ID]);

    // Act
    const attempt = processRecordsDeduplicated(deduplicated, deps);

    // Assess
    await expect(attempt).rejects.toThrow('not expected to read');
    expect(touched).toContain('dedupRuns 2026-11-20');
  });

  it('matches again the later windows that read the date and hold deduplicated files, not those still awaiting dedup', async () => {
    // Prepare: files of 11-22 and 11-27 were deduplicated before this 11-20 file finished (a resume, a redrive);
    // 11-24 has a file awaiting dedup (its own event will match); 11-28 is beyond the 7-day window.
    const committed: { asOf: string; inputs: string[] }[] = [];
    const [F22, F24, F27, F28] = ['22', '24', '27', '28'].map((day) => `f_${day.padEnd(24, '0')}`) as [
      string,
      string,
      string,
      string,
    ];
    const runOf = (fileId: string, businessDate: string): DedupRunRef => ({
      fileId,
      partner: 'acme-bank',
      dataset: 'settlements',
      businessDate,
      schemaV: 1,
      runId: `run_${fileId}`,
      unique: { bucket: 'silver', prefix: `p/${fileId}/`, parts: [] },
      uniqueRows: 0,
      committedAt: `${businessDate}T20:00:00Z`,
    });
    const registry: Record<string, DedupRunRef[]> = {
      '2026-11-22': [runOf(F22, '2026-11-22')],
      '2026-11-24': [runOf(F24, '2026-11-24')],
      '2026-11-27': [runOf(F27, '2026-11-27')],
      '2026-11-28': [runOf(F28, '2026-11-28')],
    };
    const deps: SettlementMatchDeps = {
      ports: {
        filesAwaitingDedup: async (date) => (date === '2026-11-24' ? ['f_24b0000000000000000000000'] : []),
        dedupRuns: async (date) => registry[date] ?? [],
        objects: { getObject: async () => new Uint8Array(), putObject: async () => {} },
      },
      config: { ...DEFAULT_MATCH_LIMITS, silverBucket: 'silver' },
      commit: async ({ event }) => {
        committed.push({
          asOf: event.data.businessDate,
          inputs: event.data.inputs.map((input) => input.fileId),
        });
        return 'committed';
      },
    };
    const trigger = {
      ...deduplicated,
      data: { ...deduplicated.data, unique: { ...deduplicated.data.unique, parts: [] } },
    };

    // Act
    const result = await processRecordsDeduplicated(trigger, deps);

    // Assess: each later run reads the trigger's file beside its own window's files.
    expect(committed).toEqual([
      { asOf: '2026-11-20', inputs: [FILE_ID] },
      { asOf: '2026-11-22', inputs: [F22, FILE_ID] },
      { asOf: '2026-11-27', inputs: [F22, F24, F27, FILE_ID] },
    ]);
    expect(result.laterWindows?.map((window) => window.asOf)).toEqual(['2026-11-22', '2026-11-27']);
  });
});

/** acme-bank's random window in silver, its first file's RecordsDeduplicated, and deps whose commits are kept. */
function windowAndDeps(
  unitsAboveRows: (windowRows: number) => number,
  partsListedInlineMax: number = DEFAULT_MATCH_LIMITS.partsListedInlineMax,
) {
  const rules = findMatchingRules('acme-bank') as MatchingRules;
  const random = createRandom(20261207);
  const rows = randomRows(random, rules, '2026-11-20');
  const silver = silverWindow(
    withLineage(rows.transactions, 'transactions', random),
    withLineage(rows.settlements, 'settlements', random),
    random,
  );
  // The trigger is a file of the window's last date, so no later window reads it.
  const last = silver.runs.reduce((latest, run) => (run.businessDate > latest.businessDate ? run : latest));
  const [first, others] = [last, silver.runs.filter((run) => run !== last)];
  const windowRows = silver.runs.reduce((sum, run) => sum + run.uniqueRows, 0);
  const event = createEvent(
    RecordsDeduplicatedV1,
    { producer: 'dedup', correlationId: 'c', causationId: 'e', runId: first.runId },
    {
      fileId: first.fileId,
      partner: first.partner,
      dataset: first.dataset,
      businessDate: first.businessDate,
      schemaV: 1,
      sha256: 'a'.repeat(64),
      counts: { valid: first.uniqueRows, unique: first.uniqueRows, duplicates: 0, conflicts: 0 },
      totals: {
        unique: { rowCount: first.uniqueRows, sums: {} },
        duplicates: { rowCount: 0, sums: {} },
        conflicts: { rowCount: 0, sums: {} },
      },
      unique: first.unique,
      duplicates: null,
      conflicts: null,
    },
  );
  const committed: MatchCommit[] = [];
  const dispatched: MatchUnit[] = [];
  const deps: SettlementMatchDeps = {
    ports: {
      filesAwaitingDedup: async () => [],
      dedupRuns: async (date) => others.filter((run) => run.businessDate === date),
      objects: silver.objects,
    },
    config: { ...DEFAULT_MATCH_LIMITS, silverBucket: 'silver', partsListedInlineMax },
    commit: async (commit) => {
      committed.push(commit);
      return 'committed';
    },
    units: {
      ledger: memoryUnitLedger<MatchUnitsWork, MatchUnitResult>(),
      dispatch: async (units) => {
        dispatched.push(...units);
      },
      sizes: {
        aboveRows: unitsAboveRows(windowRows),
        rowsPerUnit: Math.ceil(windowRows / 3),
        rowsPerPart: 50,
        rowsPerBatch: 40,
      },
    },
  };
  return { event, deps, committed, dispatched };
}

describe('processRecordsDeduplicated above the unit size', () => {
  it('plans the window into units and commits nothing; the last unit commits the joined run, once', async () => {
    // Prepare: a unit size just below the window
    const { event, deps, committed, dispatched } = windowAndDeps((windowRows) => windowRows - 1);

    // Act
    const result = await processRecordsDeduplicated(event, deps);
    const planned = [...committed];
    const outcomes = [];
    for (const unit of [...dispatched].reverse()) outcomes.push(await processMatchUnit(unit, deps));

    // Assess
    expect(result).toMatchObject({ committed: false, units: 3 });
    expect(result.counts).toBeUndefined();
    expect(planned).toEqual([]);
    expect(outcomes.map((outcome) => outcome.joined)).toEqual([false, false, true]);
    expect(committed).toHaveLength(1);
    expect(committed[0]?.event.data.matchRunId).toBe(result.matchRunId);
    expect(committed[0]?.event.causationId).toBe(event.eventId);
    expect(committed[0]?.event.producer).toBe('settlement-match');
  });

  it('matches a window at the unit size whole, committing at once and sending no unit', async () => {
    // Prepare
    const { event, deps, committed, dispatched } = windowAndDeps((windowRows) => windowRows);

    // Act
    const result = await processRecordsDeduplicated(event, deps);

    // Assess
    expect(result.units).toBeUndefined();
    expect(result.committed).toBe(true);
    expect(dispatched).toEqual([]);
    expect(committed.map((commit) => commit.event.data.counts.transactions)).toEqual([
      result.counts?.transactions,
    ]);
  });
});

describe('commitRun, whole and joined, around PARTS_LISTED_INLINE_MAX', () => {
  /** Match the random window (in units or whole) and commit it; the committed event and its deps. */
  async function committedRun(inUnits: boolean, partsListedInlineMax?: number) {
    const { event, deps, committed, dispatched } = windowAndDeps(
      (windowRows) => (inUnits ? windowRows - 1 : windowRows),
      partsListedInlineMax,
    );
    await processRecordsDeduplicated(event, deps);
    for (const unit of dispatched) await processMatchUnit(unit, deps);
    const [commit] = committed;
    if (!commit || committed.length !== 1) throw new Error(`expected one commit, got ${committed.length}`);
    return { event: commit.event, objects: deps.ports.objects };
  }

  it.each([
    ['joined from its units', true],
    ['matched whole', false],
  ])('commits a run %s as v1 with its results listed at the default limit', async (_name, inUnits) => {
    // Act
    const { event } = await committedRun(inUnits);

    // Assess
    expect(event.version).toBe(1);
    expect(isPartsManifestRef(event.data.results)).toBe(false);
  });

  it.each([
    ['joined from its units', true],
    ['matched whole', false],
  ])(
    'commits a run %s as v2 above the limit, its manifest listing every result part of v1 in order',
    async (_name, inUnits) => {
      // Prepare: the same window's run as v1 lists its parts
      const v1 = SettlementsMatchedV1.schema.parse((await committedRun(inUnits)).event);
      const listed = v1.data.results;

      // Act
      const { event, objects } = await committedRun(inUnits, 0);

      // Assess
      const { results } = event.data;
      expect(event.version).toBe(2);
      expect(isPartsManifestRef(results) && results.manifest).toBe(`${listed.prefix}_parts-manifest.json`);
      expect(listed.parts.length).toBeGreaterThan(inUnits ? 1 : 0);
      expect(await readPartKeys(results, objects.getObject)).toEqual(listed.parts);
      expect(event.data.counts).toEqual(v1.data.counts);
    },
  );
});

describe('settlementMatchConsumer', () => {
  it.each([
    ['v2, its duplicates in a manifest', fixture.detail],
    [
      'v1, every part listed',
      {
        ...fixture.detail,
        version: 1,
        data: {
          ...fixture.detail.data,
          duplicates: null,
          conflicts: null,
          counts: { valid: 1, unique: 1, duplicates: 0, conflicts: 0 },
          totals: {
            ...fixture.detail.data.totals,
            duplicates: { rowCount: 0, sums: {} },
            conflicts: { rowCount: 0, sums: {} },
          },
        },
      },
    ],
  ])(
    'parses RecordsDeduplicated %s, keyed and fingerprinted on the file, its run and its unique parts',
    (_name, detail) => {
      // Prepare
      const consumer = settlementMatchConsumer(() => {
        throw new Error('not used');
      });
      const record = { messageId: 'm-1', body: JSON.stringify({ ...fixture, detail }) } as SQSRecord;

      // Act
      const parsed = consumer.parse(record);

      // Assess
      expect(parsed.version).toBe(detail.version);
      expect(consumer.idempotencyKey(parsed)).toBe(`acme-bank:2026-11-20:${FILE_ID}:run_1`);
      expect(consumer.fingerprint(parsed)).toBe(
        `${'a'.repeat(64)}:finledger-local-silver:${fixture.detail.data.unique.parts.join(',')}`,
      );
    },
  );

  it('takes the match trigger of a v2 from its unique parts, as of a v1', () => {
    // Act
    const trigger = triggerOf(RecordsDeduplicatedV2.schema.parse(fixture.detail));

    // Assess
    expect(trigger).toMatchObject({
      partner: 'acme-bank',
      asOf: '2026-11-20',
      run: { fileId: FILE_ID, runId: 'run_1', unique: fixture.detail.data.unique, uniqueRows: 1 },
    });
  });
});
