import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLandedV1, FileValidatedV1, RecordsDeduplicatedV1 } from '../../contracts/events/catalog.ts';
import type { EventDetail, PartsRef } from '../../contracts/events/envelope.ts';
import { sumControlTotals } from '../../contracts/events/records-deduplicated.ts';
import { readSilverPart } from '../../lib/parquet/silver-part-reader.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { ConflictEntry, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import { requireDataset } from '../../services/dedup/test-support/fakes.ts';
import { badFiles, generateSampleSet, TEST_PANS } from '../sample-data/index.ts';
import {
  archivedDetails,
  archivedEvents,
  configureTestEnvironment,
  landAndSettle,
  listKeys,
  readObjectBytes,
  readObjectText,
  registry,
  startTestPipeline,
} from './support.ts';

const HEADER = 'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number';

/** One transactions v1 line for globex-pay (trailer optional), amounts in USD. */
const tx = (id: string, amount = '10.00', occurredAt = '2026-11-19T10:00:00Z') =>
  `${id},payment,${amount},USD,${occurredAt},m-1,,`;

/**
 * Three files landed one after another, each deduplicated before the next lands (so ownership is deterministic):
 * lines start at 2 (the header is line 1).
 */
const files = [
  {
    name: 'day1',
    landingKey: 'inbound/globex-pay/transactions/2026-11-19/day1.csv',
    // g-2 twice, same content: a within-file duplicate.
    lines: [tx('g-1'), tx('g-2'), tx('g-3'), tx('g-2'), tx('g-4')],
    counts: { valid: 5, unique: 4, duplicates: 1, conflicts: 0 },
  },
  {
    name: 'day2',
    landingKey: 'inbound/globex-pay/transactions/2026-11-20/day2.csv',
    // g-1 again a day later (duplicate across days); g-6 twice with different amounts (conflict within the
    // file); g-3 with another amount than day1 (conflict across files); g-7 twice (duplicate within the file).
    lines: [
      tx('g-1'),
      tx('g-5'),
      tx('g-6', '1.00'),
      tx('g-6', '2.00'),
      tx('g-3', '99.00'),
      tx('g-7'),
      tx('g-7'),
    ],
    counts: { valid: 7, unique: 2, duplicates: 2, conflicts: 3 },
  },
  {
    name: 'day2-second-file',
    landingKey: 'inbound/globex-pay/transactions/2026-11-20/day2-b.csv',
    // g-5 again the same day (duplicate across files); g-4 with the same instant spelt in another offset.
    lines: [tx('g-5'), tx('g-4', '10.00', '2026-11-19T05:00:00-05:00'), tx('g-8')],
    counts: { valid: 3, unique: 1, duplicates: 2, conflicts: 0 },
  },
] as const;

type Deduplicated = EventDetail<typeof RecordsDeduplicatedV1>;

async function jsonLines<Entry>(runtime: Runtime, ref: PartsRef | null): Promise<Entry[]> {
  if (!ref) return [];
  const entries: Entry[] = [];
  for (const key of ref.parts) {
    const text = await readObjectText(runtime, ref.bucket, key);
    entries.push(
      ...text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Entry),
    );
  }
  return entries;
}

async function uniqueIds(runtime: Runtime, ref: PartsRef): Promise<string[]> {
  const ids: string[] = [];
  for (const key of ref.parts) {
    const rows = await readSilverPart(
      await readObjectBytes(runtime, ref.bucket, key),
      requireDataset('transactions'),
    );
    for (let index = 0; index < rows.length; index += 1) ids.push(String(rows.values(index)[0]));
  }
  return ids;
}

async function scanTable(runtime: Runtime, logical: string): Promise<Record<string, unknown>[]> {
  const result = await runtime.clients.dynamodb.send(
    new ScanCommand({ TableName: runtime.resources.tables[logical]!.name, ConsistentRead: true }),
  );
  return (result.Items ?? []).map((item) => unmarshall(item));
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('dedup on the offline runtime', () => {
  let runtime: Runtime;
  const fileIdOf: Record<string, string> = {};
  const eventOf: Record<string, Deduplicated> = {};

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    for (const file of files) {
      const bytes = new TextEncoder().encode(`${[HEADER, ...file.lines].join('\n')}\n`);
      await landAndSettle(runtime, [{ landingKey: file.landingKey, bytes }]);
      // waitForTerminalFiles stops at VALIDATED; dedup runs after it.
      await runtime.waitForIdle();
      const landed = (await archivedDetails(runtime, FileLandedV1)).find(
        (event) => event.data.landing.key === file.landingKey,
      );
      fileIdOf[file.name] = landed!.data.fileId;
    }
    for (const event of await archivedDetails(runtime, RecordsDeduplicatedV1)) {
      const name = Object.keys(fileIdOf).find((key) => fileIdOf[key] === event.data.fileId);
      if (name) eventOf[name] = event;
    }
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it.each(files.map((file) => [file.name, file] as const))(
    'publishes one RecordsDeduplicated for %s with the expected, conserved counts',
    async (name, file) => {
      // Act
      const events = (await archivedDetails(runtime, RecordsDeduplicatedV1)).filter(
        (event) => event.data.fileId === fileIdOf[name],
      );
      const validated = (await archivedDetails(runtime, FileValidatedV1)).find(
        (event) => event.data.fileId === fileIdOf[name],
      );

      // Assess
      expect(events).toHaveLength(1);
      const { counts } = events[0]!.data;
      expect(counts).toEqual(file.counts);
      expect(counts.valid).toBe(validated?.data.counts.valid);
      expect(counts.unique + counts.duplicates + counts.conflicts).toBe(counts.valid);
      expect(events[0]!.causationId).toBe(validated?.eventId);
      const totals = events[0]?.data.totals;
      expect(totals && sumControlTotals(totals.unique, totals.duplicates, totals.conflicts)).toEqual(
        validated?.data.validTotals,
      );
      expect(await jsonLines(runtime, events[0]!.data.duplicates)).toHaveLength(counts.duplicates);
      expect(await jsonLines(runtime, events[0]!.data.conflicts)).toHaveLength(counts.conflicts);
    },
  );

  it('quarantines conflicts with the lineage of both versions', async () => {
    // Prepare
    const day2 = eventOf.day2!;
    const day1Validated = (await archivedDetails(runtime, FileValidatedV1)).find(
      (event) => event.data.fileId === fileIdOf.day1,
    )!;

    // Act
    const conflicts = await jsonLines<ConflictEntry>(runtime, day2.data.conflicts);

    // Assess
    const byRow = new Map(conflicts.map((entry) => [entry.row.rowNumber, entry]));
    expect(byRow.get(4)).toMatchObject({
      scope: 'within-file',
      naturalKey: { partner: 'globex-pay', transaction_id: 'g-6' },
      row: { fileId: fileIdOf.day2, runId: day2.runId, sha256: day2.data.sha256, businessDate: '2026-11-20' },
      other: { fileId: fileIdOf.day2, rowNumber: 5, runId: day2.runId, sha256: day2.data.sha256 },
    });
    expect(byRow.get(5)).toMatchObject({ scope: 'within-file', other: { rowNumber: 4 } });
    expect(byRow.get(6)).toMatchObject({
      scope: 'cross-file',
      naturalKey: { transaction_id: 'g-3' },
      row: { fileId: fileIdOf.day2, rowNumber: 6, runId: day2.runId, sha256: day2.data.sha256 },
      other: {
        fileId: fileIdOf.day1,
        rowNumber: 4,
        runId: day1Validated.runId,
        sha256: day1Validated.data.sha256,
        businessDate: '2026-11-19',
      },
      record: { transaction_id: 'g-3', amount_minor: '9900' },
    });
    expect(byRow.get(6)?.other.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(byRow.get(6)?.other.fingerprint).not.toBe(byRow.get(6)?.row.fingerprint);
    expect(
      day2.data.conflicts?.prefix.startsWith('quarantine/dedup/dataset=transactions/source=globex-pay/'),
    ).toBe(true);
  });

  it('records each duplicate with the row it copies, within the file, across files and across days', async () => {
    // Act
    const duplicates = [
      ...(await jsonLines<DuplicateEntry>(runtime, eventOf.day1!.data.duplicates)),
      ...(await jsonLines<DuplicateEntry>(runtime, eventOf.day2!.data.duplicates)),
      ...(await jsonLines<DuplicateEntry>(runtime, eventOf['day2-second-file']!.data.duplicates)),
    ];

    // Assess
    const name = (fileId: string) => Object.keys(fileIdOf).find((key) => fileIdOf[key] === fileId);
    expect(
      duplicates.map(
        (entry) =>
          `${entry.naturalKey.transaction_id} ${entry.scope}: ${name(entry.row.fileId)}:${entry.row.rowNumber} copies ${name(entry.of.fileId)}:${entry.of.rowNumber}`,
      ),
    ).toEqual([
      'g-2 within-file: day1:5 copies day1:3',
      'g-1 cross-file: day2:2 copies day1:2',
      'g-7 within-file: day2:8 copies day2:7',
      'g-5 cross-file: day2-second-file:2 copies day2:3',
      'g-4 cross-file: day2-second-file:3 copies day1:6',
    ]);
  });

  it('writes unique Parquet parts that hold every accepted key exactly once across files', async () => {
    // Act
    const ids: string[] = [];
    for (const file of files) ids.push(...(await uniqueIds(runtime, eventOf[file.name]!.data.unique)));

    // Assess
    expect(ids.sort()).toEqual(['g-1', 'g-2', 'g-3', 'g-4', 'g-5', 'g-7', 'g-8']);
    for (const file of files) {
      expect(eventOf[file.name]!.data.unique.prefix).toMatch(
        /^silver\/dedup\/dataset=transactions\/source=globex-pay\/dt=2026-11-\d\d\/run_id=run_[0-9a-f]+\/schema_v=1\/file_id=f_[0-9a-f]{24}\/$/,
      );
    }
  });

  it('changes nothing when the same FileValidated arrives three more times, nor once more past idempotency', async () => {
    // Prepare
    const [validated] = (await archivedEvents(runtime, 'FileValidated')).filter(
      (event) => (event.detail as { data: { fileId: string } }).data.fileId === fileIdOf.day2,
    );
    const silver = runtime.resources.buckets.silver!.name;
    const quarantine = runtime.resources.buckets.quarantine!.name;
    const snapshot = async () => ({
      events: (await archivedDetails(runtime, RecordsDeduplicatedV1)).map((event) => event.eventId).sort(),
      history: (await scanTable(runtime, 'dedup-history')).sort((a, b) =>
        String(a.pk).localeCompare(String(b.pk)),
      ),
      runs: (await scanTable(runtime, 'files')).filter((item) => String(item.sk).startsWith('DEDUP#')).length,
      unique: await listKeys(runtime, silver, 'silver/dedup/'),
      quarantined: await listKeys(runtime, quarantine, 'quarantine/dedup/'),
      conflicts: await jsonLines(runtime, eventOf.day2!.data.conflicts),
    });
    const before = await snapshot();
    const poller = runtime.pollers.dedup!;
    const redeliver = async (copies: number) => {
      const succeeded = poller.stats().succeeded;
      for (let copy = 0; copy < copies; copy += 1) {
        const result = await runtime.bus.putEvents([
          {
            EventBusName: runtime.bus.name,
            Source: validated!.source,
            DetailType: validated!['detail-type'],
            Detail: JSON.stringify(validated!.detail),
          },
        ]);
        expect(result.FailedEntryCount).toBe(0);
      }
      await waitUntil('the copies are consumed', () => poller.stats().succeeded >= succeeded + copies);
      await runtime.waitForIdle();
    };

    // Act: three copies (Powertools idempotency answers), then one with the idempotency records gone (the
    // DEDUP#<runId> item in the files table answers: the work is redone, nothing new is committed).
    await redeliver(3);
    const afterCopies = await snapshot();
    const idempotency = runtime.resources.tables.idempotency!.name;
    const records = (await scanTable(runtime, 'idempotency')).filter((item) =>
      String(item.id).startsWith('dedup#'),
    );
    for (const item of records) {
      await runtime.clients.dynamodb.send(
        new DeleteItemCommand({ TableName: idempotency, Key: { id: { S: String(item.id) } } }),
      );
    }
    await redeliver(1);
    const afterBypass = await snapshot();

    // Assess
    expect(records.length).toBeGreaterThan(0);
    expect(before.runs).toBe(files.length);
    expect(afterCopies).toEqual(before);
    expect(afterBypass).toEqual(before);
    expect(poller.stats().failed).toBe(0);
  });
});

/** Business dates of the generated sample set; the bad files land on a third date. */
const DATES = ['2026-11-19', '2026-11-20', '2026-11-21'] as const;

describe('dedup after the generated sample set', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    const sample = generateSampleSet({
      seed: 11,
      dates: [DATES[0], DATES[1]],
      rowsPerFile: 60,
      cardNumbers: true,
    });
    await landAndSettle(runtime, [...sample, ...badFiles({ date: DATES[2] })], 120_000);
    await runtime.waitForIdle({ timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('deduplicates every validated file once, conserving its valid rows, and nothing else', async () => {
    // Act
    const validated = await archivedDetails(runtime, FileValidatedV1);
    const deduplicated = await archivedDetails(runtime, RecordsDeduplicatedV1);

    // Assess
    expect(validated.length).toBeGreaterThan(4);
    expect(deduplicated.map((event) => event.data.fileId).sort()).toEqual(
      validated.map((event) => event.data.fileId).sort(),
    );
    for (const event of deduplicated) {
      const source = validated.find((candidate) => candidate.data.fileId === event.data.fileId);
      expect(event.data.counts.valid).toBe(source?.data.counts.valid);
    }
    expect(runtime.pollers.dedup?.stats().failed).toBe(0);
    expect(await runtime.dlq.listDlq('dedup')).toEqual([]);
  });

  it.each(DATES)(
    'lists every file of %s with its dedup run, whose totals add up to the validTotals of its FileValidated',
    async (date) => {
      // Prepare
      const landed = (await archivedDetails(runtime, FileLandedV1)).filter(
        (event) => event.data.businessDate === date,
      );
      const validated = (await archivedDetails(runtime, FileValidatedV1)).filter(
        (event) => event.data.businessDate === date,
      );

      // Act
      const { files, dedupRuns } = await registry(runtime).listDay(date);

      // Assess: every registered file of the date once, every validated one with its one dedup run.
      expect(landed.length).toBeGreaterThan(0);
      expect(files.map((file) => file.fileId).sort()).toEqual(
        [...new Set(landed.map((event) => event.data.fileId))].sort(),
      );
      expect(dedupRuns.map((run) => `${run.fileId}:${run.runId}`).sort()).toEqual(
        [...new Set(validated.map((event) => `${event.data.fileId}:${event.runId}`))].sort(),
      );
      for (const file of files) {
        expect(file).toMatchObject({
          day: date,
          daySort: `${file.dataset}#${file.partner}#${file.fileId}#FILE`,
        });
        const runs = dedupRuns.filter((run) => run.fileId === file.fileId);
        expect(runs.length, file.fileId).toBe(file.stage === 'VALIDATED' ? 1 : 0);
      }
      for (const run of dedupRuns) {
        const source = validated.find(
          (event) => event.data.fileId === run.fileId && event.runId === run.runId,
        );
        expect(run).toMatchObject({
          day: date,
          businessDate: date,
          partner: source?.data.partner,
          dataset: source?.data.dataset,
          counts: { valid: source?.data.counts.valid },
        });
        expect(run.unique.parts.length).toBeGreaterThan(0);
        expect(
          sumControlTotals(run.totals.unique, run.totals.duplicates, run.totals.conflicts),
          run.fileId,
        ).toEqual(source?.data.validTotals);
      }
    },
  );

  it('lists one dataset, or one partner, of a date through the index prefix', async () => {
    // Prepare
    const all = await registry(runtime).listDay(DATES[0]);
    const store = registry(runtime);

    // Act
    const oneDataset = await store.listDay(DATES[0], { dataset: 'settlements' });
    const onePartner = await store.listDay(DATES[0], { partner: 'globex-pay' });
    const both = await store.listDay(DATES[0], { dataset: 'transactions', partner: 'globex-pay' });

    // Assess
    const ids = (listing: typeof all, keep: (file: (typeof all.files)[number]) => boolean) =>
      listing.files.filter(keep).map((file) => file.fileId);
    expect(ids(oneDataset, () => true)).toEqual(ids(all, (file) => file.dataset === 'settlements'));
    expect(ids(onePartner, () => true).sort()).toEqual(
      ids(all, (file) => file.partner === 'globex-pay').sort(),
    );
    expect(ids(both, () => true)).toEqual(
      ids(all, (file) => file.dataset === 'transactions' && file.partner === 'globex-pay'),
    );
    expect(both.files.length).toBeGreaterThan(0);
    expect(
      both.dedupRuns.every((run) => run.dataset === 'transactions' && run.partner === 'globex-pay'),
    ).toBe(true);
    expect(both.dedupRuns.length).toBeGreaterThan(0);
  });

  it('never writes a card number in clear to the unique parts or the dedup quarantine', async () => {
    // Prepare
    const buckets = runtime.resources.buckets;
    const texts: string[] = [];
    for (const [bucket, prefix] of [
      [buckets.silver!.name, 'silver/dedup/'],
      [buckets.quarantine!.name, 'quarantine/dedup/'],
    ] as const) {
      for (const key of await listKeys(runtime, bucket, prefix))
        texts.push(Buffer.from(await readObjectBytes(runtime, bucket, key)).toString('latin1'));
    }

    // Assess
    expect(texts.length).toBeGreaterThan(0);
    for (const pan of TEST_PANS) for (const text of texts) expect(text.includes(pan)).toBe(false);
  });
});
