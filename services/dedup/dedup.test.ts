import { describe, expect, it } from 'vitest';
import type { SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import {
  RecordsDeduplicatedPayloadSchema,
  sumControlTotals,
} from '../../contracts/events/records-deduplicated.ts';
import { dedupFile } from './dedup.ts';
import type { ConflictEntry, DuplicateEntry } from './dedup-outputs.ts';
import { FingerprintDriftError, SilverMismatchError, UnknownContractError } from './errors.ts';
import { findKeyRecords } from './key-history/find-key-records.ts';
import { bucketOfKey, KEY_HISTORY_BUCKET_DIGITS } from './key-history/key-buckets.ts';
import { FINGERPRINT_VERSION } from './record-identity.ts';
import {
  fileIds,
  landSilver,
  memoryHistory,
  memoryObjects,
  NOW,
  NOW_SECONDS,
  SILVER_BUCKET,
  type SilverFile,
  testConfig,
  testPorts,
  txValues,
} from './test-support/fakes.ts';
import { entries, uniqueRows } from './test-support/read-outputs.ts';

const A = txValues('tx-1');
const B = txValues('tx-1', { amount: '11.00' });
const other = (n: number) => txValues(`tx-${n}`);

/** A fake S3 and key-history table shared by the files of one test. */
const newWorld = () => ({ objects: memoryObjects(), history: memoryHistory() });
type World = ReturnType<typeof newWorld>;

/** Dedup `files` in order on one key history; returns the last file's payload and what it wrote. */
async function dedupInOrder(files: readonly SilverFile[], world: World = newWorld(), config = testConfig()) {
  const { objects, history } = world;
  const ports = testPorts(objects, history);
  let payload: Awaited<ReturnType<typeof dedupFile>> | undefined;
  for (const file of files) payload = await dedupFile(landSilver(objects, file), ports, config);
  if (!payload) throw new Error('no file');
  return { payload, objects, history };
}

/** Every key record of acme-bank's transactions history, by key. */
const keyRecords = (world: Pick<World, 'objects' | 'history'>) =>
  findKeyRecords({ objects: world.objects.objects, history: world.history.history }, SILVER_BUCKET, {
    dataset: 'transactions',
    partner: 'acme-bank',
  });

/** The key-history bucket of an acme-bank transaction id. */
const bucketOfId = (id: string) => bucketOfKey(`KEY#transactions#acme-bank#${id}`, KEY_HISTORY_BUCKET_DIGITS);

/** How many history buckets a set of acme-bank transaction ids falls in. */
const bucketCount = (ids: readonly string[]) => new Set(ids.map(bucketOfId)).size;

/** The first `count` numbers n whose id `tx-<n>` falls in tx-0's history bucket, and that bucket. */
function idsInOneBucket(count: number): { bucket: string; ids: number[] } {
  const bucket = bucketOfId('tx-0');
  const ids = Array.from({ length: 400 }, (_, n) => n).filter((n) => bucketOfId(`tx-${n}`) === bucket);
  return { bucket, ids: ids.slice(0, count) };
}

/** The current manifest of one bucket of acme-bank's transactions history. */
const bucketManifest = async (world: Pick<World, 'history'>, bucket: string) =>
  (await world.history.history.read([{ dataset: 'transactions', partner: 'acme-bank', bucket }]))[0];

/** What an entry says, in a form a table can state. */
const summary = (entry: DuplicateEntry | ConflictEntry) => {
  const against = entry.kind === 'duplicate' ? entry.of : entry.other;
  return `${entry.kind} ${entry.scope} row ${entry.row.rowNumber} ↔ ${against.fileId.slice(0, 3)}:${against.rowNumber}@${against.businessDate}`;
};

describe('dedupFile', () => {
  it.each<[string, SilverFile[], SilverValue[][], [number, number, number], string[], string[]]>([
    [
      'drops an exact duplicate within the file',
      [],
      [A, other(2), A],
      [2, 1, 0],
      ['tx-1', 'tx-2'],
      ['duplicate within-file row 4 ↔ f_b:2@2026-11-20'],
    ],
    [
      'quarantines both versions of a conflict within the file and keeps neither',
      [],
      [A, other(2), B],
      [1, 0, 2],
      ['tx-2'],
      ['conflict within-file row 2 ↔ f_b:4@2026-11-20', 'conflict within-file row 4 ↔ f_b:2@2026-11-20'],
    ],
    [
      'quarantines every row of a key with two contents, whichever comes back',
      [],
      [A, B, A],
      [0, 0, 3],
      [],
      [
        'conflict within-file row 2 ↔ f_b:3@2026-11-20',
        'conflict within-file row 3 ↔ f_b:2@2026-11-20',
        'conflict within-file row 4 ↔ f_b:3@2026-11-20',
      ],
    ],
    [
      'drops a duplicate of a row accepted from an earlier file of another day',
      [{ fileId: fileIds.a, businessDate: '2026-11-19', rows: [A] }],
      [A, other(2)],
      [1, 1, 0],
      ['tx-2'],
      ['duplicate cross-file row 2 ↔ f_a:2@2026-11-19'],
    ],
    [
      'quarantines a conflict with an earlier file, which keeps the key',
      [{ fileId: fileIds.a, rows: [A] }],
      [B, other(2)],
      [1, 0, 1],
      ['tx-2'],
      ['conflict cross-file row 2 ↔ f_a:2@2026-11-20'],
    ],
    [
      'drops a visual twin (the same id in decomposed Unicode) of a row from an earlier file as a duplicate',
      [{ fileId: fileIds.a, rows: [txValues('tx-caf\u00e9')] }],
      [txValues('tx-cafe\u0301'), other(2)],
      [1, 1, 0],
      ['tx-2'],
      ['duplicate cross-file row 2 ↔ f_a:2@2026-11-20'],
    ],
    [
      'quarantines a visual twin within the file whose content differs as a conflict',
      [],
      [txValues('tx-caf\u00e9'), txValues('tx-cafe\u0301', { amount: '11.00' })],
      [0, 0, 2],
      [],
      ['conflict within-file row 2 ↔ f_b:3@2026-11-20', 'conflict within-file row 3 ↔ f_b:2@2026-11-20'],
    ],
    [
      'drops a within-file copy of a cross-file duplicate as a copy of its first row',
      [{ fileId: fileIds.a, rows: [A] }],
      [A, A],
      [0, 2, 0],
      [],
      ['duplicate cross-file row 2 ↔ f_a:2@2026-11-20', 'duplicate within-file row 3 ↔ f_b:2@2026-11-20'],
    ],
  ])('%s', async (_name, history, rows, [unique, duplicates, conflicts], uniqueIds, summaries) => {
    // Prepare
    const files = [...history, { fileId: fileIds.b, rows }];

    // Act
    const { payload, objects } = await dedupInOrder(files);

    // Assess
    expect(RecordsDeduplicatedPayloadSchema.parse(payload).counts).toEqual({
      valid: rows.length,
      unique,
      duplicates,
      conflicts,
    });
    expect((await uniqueRows(objects, payload.unique)).map((row) => row.id)).toEqual(uniqueIds);
    const written = [
      ...entries<DuplicateEntry>(objects, payload.duplicates),
      ...entries<ConflictEntry>(objects, payload.conflicts),
    ];
    expect(written.map(summary).sort()).toEqual(summaries);
  });

  it('totals the rows and amounts per currency of each outcome, adding up to those of the valid rows', async () => {
    // Prepare: tx-1 and tx-5 are owned by an earlier file, tx-5 with another amount.
    const history = [txValues('tx-1'), txValues('tx-5', { amount: '1.00', currency: 'GBP' })];
    const rows = [
      txValues('tx-1'),
      txValues('tx-1'),
      txValues('tx-2', { type: 'refund', amount: '-3.10', currency: 'USD' }),
      txValues('tx-3', { amount: '1500', currency: 'JPY' }),
      txValues('tx-4', { amount: '5.00' }),
      txValues('tx-4', { amount: '6.00' }),
      txValues('tx-5', { amount: '2.00', currency: 'GBP' }),
      txValues('tx-6', { amount: '90071992547409.93' }),
    ];

    // Act
    const { payload } = await dedupInOrder([
      { fileId: fileIds.a, rows: history },
      { fileId: fileIds.b, rows },
    ]);

    // Assess
    const parsed = RecordsDeduplicatedPayloadSchema.parse(payload);
    expect(parsed.counts).toEqual({ valid: 8, unique: 3, duplicates: 2, conflicts: 3 });
    expect(parsed.totals).toEqual({
      unique: { rowCount: 3, sums: { EUR: '9007199254740993', JPY: '1500', USD: '-310' } },
      duplicates: { rowCount: 2, sums: { EUR: '2000' } },
      conflicts: { rowCount: 3, sums: { EUR: '1100', GBP: '200' } },
    });
    expect(sumControlTotals(parsed.totals.unique, parsed.totals.duplicates, parsed.totals.conflicts)).toEqual(
      {
        rowCount: 8,
        sums: { EUR: '9007199254744093', GBP: '200', JPY: '1500', USD: '-310' },
      },
    );
  });

  it('totals nothing for an outcome no row ended in', async () => {
    // Act
    const { payload } = await dedupInOrder([
      { fileId: fileIds.a, rows: [A] },
      { fileId: fileIds.b, rows: [A] },
    ]);

    // Assess
    expect(payload.totals).toEqual({
      unique: { rowCount: 0, sums: {} },
      duplicates: { rowCount: 1, sums: { EUR: '1000' } },
      conflicts: { rowCount: 0, sums: {} },
    });
  });

  it('records both lineages and the fingerprints of a cross-file conflict', async () => {
    // Act
    const world = newWorld();
    const { payload, objects } = await dedupInOrder(
      [
        { fileId: fileIds.a, runId: 'run_a', rows: [A] },
        { fileId: fileIds.b, runId: 'run_b', rows: [B] },
      ],
      world,
    );

    // Assess
    const [conflict] = entries<ConflictEntry>(objects, payload.conflicts);
    const owner = (await keyRecords(world)).get('KEY#transactions#acme-bank#tx-1');
    expect(conflict).toMatchObject({
      key: 'KEY#transactions#acme-bank#tx-1',
      naturalKey: { partner: 'acme-bank', transaction_id: 'tx-1' },
      row: { fileId: fileIds.b, runId: 'run_b', rowNumber: 2, sha256: payload.sha256 },
      other: { fileId: fileIds.a, runId: 'run_a', rowNumber: 2, fingerprint: owner?.fingerprint },
      record: { transaction_id: 'tx-1', amount_minor: '1100' },
    });
    expect(conflict?.row.fingerprint).not.toBe(owner?.fingerprint);
    expect(owner).toMatchObject({
      fingerprintVersion: FINGERPRINT_VERSION,
      expiresAt: NOW_SECONDS + 400 * 86_400,
    });
  });

  it('classifies a retry of the same run exactly as the first attempt, from its own keys', async () => {
    // Prepare
    const world = newWorld();
    const { objects, history } = world;
    const input = landSilver(objects, { fileId: fileIds.a, rows: [A, other(2), A] });

    // Act
    const first = await dedupFile(input, testPorts(objects, history), testConfig());
    const claimed = await keyRecords(world);
    const retry = await dedupFile(input, testPorts(objects, history), testConfig());

    // Assess
    expect(retry).toEqual(first);
    expect(retry.counts).toEqual({ valid: 3, unique: 2, duplicates: 1, conflicts: 0 });
    expect(await keyRecords(world)).toEqual(claimed);
    // One swap per bucket of tx-1 and tx-2 on the first attempt; the retry owns every key and swaps nothing.
    expect(history.calls).toMatchObject({ swap: bucketCount(['tx-1', 'tx-2']) });
  });

  it('reproduces the classification for a rerun with a new runId, under the new run, keeping the first owner', async () => {
    // Prepare
    const world = newWorld();
    const { objects, history } = world;
    const rows = [A, other(2), A];

    // Act
    const first = await dedupFile(
      landSilver(objects, { fileId: fileIds.a, runId: 'run_1', rows }),
      testPorts(objects, history),
      testConfig(),
    );
    const rerun = await dedupFile(
      landSilver(objects, { fileId: fileIds.a, runId: 'run_2', rows }),
      testPorts(objects, history),
      testConfig(),
    );

    // Assess
    expect(rerun.counts).toEqual(first.counts);
    expect(rerun.unique.prefix).toContain('/run_id=run_2/');
    expect(rerun.unique.prefix.startsWith('silver/dedup/dataset=transactions/')).toBe(true);
    expect(await uniqueRows(objects, rerun.unique)).toEqual(await uniqueRows(objects, first.unique));
    expect((await keyRecords(world)).get('KEY#transactions#acme-bank#tx-1')?.owner.runId).toBe('run_1');
  });

  it('classifies again against the longer history when another file published first, then publishes', async () => {
    // Prepare: between file b's classification and its swap, file a publishes tx-1 (same content) and tx-3 (other).
    // One history bucket, so the race lands on the swap b is about to make.
    const config = testConfig({ historyBucketDigits: 0 });
    const objects = memoryObjects();
    let raced = false;
    const history = memoryHistory({
      race: async () => {
        if (raced) return;
        raced = true;
        const rival = {
          fileId: fileIds.a,
          runId: 'run_a',
          businessDate: '2026-11-19',
          rows: [A, txValues('tx-3', { amount: '99.00' })],
        };
        await dedupFile(landSilver(objects, rival), testPorts(objects, history), config);
      },
    });
    const world = { objects, history };

    // Act
    const { payload } = await dedupInOrder(
      [{ fileId: fileIds.b, rows: [A, other(2), other(3), other(4)] }],
      world,
      config,
    );

    // Assess
    expect(payload.counts).toEqual({ valid: 4, unique: 2, duplicates: 1, conflicts: 1 });
    expect((await uniqueRows(objects, payload.unique)).map((row) => row.id)).toEqual(['tx-2', 'tx-4']);
    const written = [
      ...entries<DuplicateEntry>(objects, payload.duplicates),
      ...entries<ConflictEntry>(objects, payload.conflicts),
    ];
    expect(written.map(summary).sort()).toEqual([
      'conflict cross-file row 4 ↔ f_a:3@2026-11-19',
      'duplicate cross-file row 2 ↔ f_a:2@2026-11-19',
    ]);
    const records = await findKeyRecords(
      { objects: objects.objects, history: history.history },
      SILVER_BUCKET,
      { dataset: 'transactions', partner: 'acme-bank' },
      undefined,
      0,
    );
    expect(
      [...records.values()]
        .map((record) => `${record.key.slice(-4)} ${record.owner.fileId.slice(0, 3)}`)
        .sort(),
    ).toEqual(['tx-1 f_a', 'tx-2 f_b', 'tx-3 f_a', 'tx-4 f_b']);
    expect(history.calls).toMatchObject({ swap: 3, refused: 1 });
  });

  it('accepts each key once when two files sharing keys are deduplicated at the same instant, again and again', async () => {
    for (let round = 0; round < 12; round += 1) {
      // Prepare: two files of one partner, 40 keys each, 20 shared (half with other content in the second file).
      const world = newWorld();
      const ids = (from: number) => Array.from({ length: 40 }, (_, index) => from + index);
      const first = ids(0).map((n) => other(n));
      const second = ids(20).map((n) => (n % 2 === 0 ? other(n) : txValues(`tx-${n}`, { amount: '77.00' })));
      const inputs = [
        landSilver(world.objects, { fileId: fileIds.a, rows: first }),
        landSilver(world.objects, { fileId: fileIds.b, rows: second }),
      ];
      const ports = testPorts(world.objects, world.history);

      // Act: both at once, which one starts first alternating by round.
      const order = round % 2 === 0 ? inputs : [...inputs].reverse();
      const payloads = await Promise.all(order.map((input) => dedupFile(input, ports, testConfig())));

      // Assess: 60 distinct keys, each unique in exactly one file; the 20 shared ones a duplicate or conflict in the other.
      const unique = payloads.reduce((sum, payload) => sum + payload.counts.unique, 0);
      const shared = payloads.reduce(
        (sum, payload) => sum + payload.counts.duplicates + payload.counts.conflicts,
        0,
      );
      expect({ unique, shared }).toEqual({ unique: 60, shared: 20 });
      const records = await keyRecords(world);
      expect(records.size).toBe(60);
      const uniqueIds = new Set<string>();
      for (const payload of payloads)
        for (const row of await uniqueRows(world.objects, payload.unique)) {
          expect(uniqueIds.has(String(row.id))).toBe(false);
          uniqueIds.add(String(row.id));
          expect(records.get(`KEY#transactions#acme-bank#${row.id}`)?.owner.fileId).toBe(payload.fileId);
        }
    }
  });

  it('claims again a key whose retention has passed', async () => {
    // Prepare: file a claimed tx-1 longer ago than the retention.
    const world = newWorld();
    const longAgo = new Date(NOW.getTime() - 401 * 86_400_000);
    const input = landSilver(world.objects, { fileId: fileIds.a, rows: [A] });
    await dedupFile(input, { ...testPorts(world.objects, world.history), now: () => longAgo }, testConfig());

    // Act
    const { payload } = await dedupInOrder([{ fileId: fileIds.b, rows: [B] }], world);

    // Assess
    expect(payload.counts.unique).toBe(1);
    expect((await keyRecords(world)).get('KEY#transactions#acme-bank#tx-1')?.owner.fileId).toBe(fileIds.b);
  });

  it('reads and publishes each history bucket it touches once per file, keeping file order across parts', async () => {
    // Prepare
    const world = newWorld();
    const rows = Array.from({ length: 250 }, (_, index) => other(index));
    const input = landSilver(world.objects, { fileId: fileIds.a, rows }, { partRows: 70 });

    // Act
    const payload = await dedupFile(
      input,
      testPorts(world.objects, world.history),
      testConfig({ partRows: 90 }),
    );

    // Assess
    expect(input.silver.parts).toHaveLength(4);
    const buckets = bucketCount(rows.map((_, index) => `tx-${index}`));
    expect(buckets).toBe(16);
    expect(world.history.calls).toEqual({ read: buckets, swap: buckets, refused: 0 });
    expect(payload.unique.parts).toHaveLength(3);
    expect((await uniqueRows(world.objects, payload.unique)).map((row) => row.rowNumber)).toEqual(
      rows.map((_, index) => index + 2),
    );
  });

  it("merges a bucket's segments into one, dropping expired keys, once it reaches compactAtSegments", async () => {
    // Prepare: four ids of one history bucket; the first claimed longer ago than the retention, then files of
    // one new key each.
    const { bucket, ids } = idsInOneBucket(4);
    const [expired, ...fresh] = ids as [number, ...number[]];
    const world = newWorld();
    const longAgo = new Date(NOW.getTime() - 401 * 86_400_000);
    const old = landSilver(world.objects, { fileId: fileIds.c, rows: [other(expired)] });
    await dedupFile(old, { ...testPorts(world.objects, world.history), now: () => longAgo }, testConfig());
    const config = testConfig({ compactAtSegments: 4, compactBelowRows: 0 });

    // Act
    for (const [index, n] of fresh.entries())
      await dedupInOrder([{ fileId: `f_${String(index).repeat(24)}`, rows: [other(n)] }], world, config);

    // Assess
    const manifest = await bucketManifest(world, bucket);
    expect(manifest?.version).toBe(4);
    expect(manifest?.segments).toHaveLength(1);
    expect(manifest?.segments[0]?.rows).toBe(3);
    expect([...(await keyRecords(world)).keys()].sort()).toEqual(
      fresh.map((n) => `KEY#transactions#acme-bank#tx-${n}`).sort(),
    );
  });

  it('keeps a bucket below compactBelowRows in one segment, rewritten with every commit', async () => {
    // Prepare: three ids of one history bucket, one file each.
    const { bucket, ids } = idsInOneBucket(3);
    const world = newWorld();
    const config = testConfig({ compactAtSegments: 32, compactBelowRows: 2 });

    // Act
    for (const [index, n] of ids.entries())
      await dedupInOrder([{ fileId: `f_${String(index).repeat(24)}`, rows: [other(n)] }], world, config);

    // Assess: merged into one segment while the bucket held under 2 records; at 2 the next commit appends.
    const manifest = await bucketManifest(world, bucket);
    expect(manifest?.version).toBe(3);
    expect(manifest?.segments.map((segment) => segment.rows)).toEqual([2, 1]);
    await dedupInOrder([{ fileId: fileIds.c, rows: [other(ids[0] as number)] }], world, config);
    expect([...(await keyRecords(world)).keys()].sort()).toEqual(
      ids.map((n) => `KEY#transactions#acme-bank#tx-${n}`).sort(),
    );
  });

  it('writes one empty unique part when no row is unique, so readers always get the schema', async () => {
    // Act
    const { payload, objects } = await dedupInOrder([
      { fileId: fileIds.a, rows: [A] },
      { fileId: fileIds.b, rows: [A] },
    ]);

    // Assess
    expect(payload.unique.parts).toHaveLength(1);
    expect(await uniqueRows(objects, payload.unique)).toEqual([]);
  });

  it('writes one empty unique part for a validated file without a valid row (no silver part)', async () => {
    // Act
    const { payload, objects } = await dedupInOrder([{ fileId: fileIds.a, rows: [] }]);

    // Assess
    expect(payload.counts).toEqual({ valid: 0, unique: 0, duplicates: 0, conflicts: 0 });
    expect(payload.unique.parts).toHaveLength(1);
    expect(await uniqueRows(objects, payload.unique)).toEqual([]);
  });

  it('refuses silver parts that hold other than the announced rows', async () => {
    // Prepare
    const objects = memoryObjects();
    const input = landSilver(objects, { fileId: fileIds.a, rows: [A, other(2)] });

    // Act / Assess
    await expect(dedupFile({ ...input, valid: 3 }, testPorts(objects), testConfig())).rejects.toBeInstanceOf(
      SilverMismatchError,
    );
    await expect(
      dedupFile({ ...input, fileId: fileIds.c }, testPorts(objects), testConfig()),
    ).rejects.toThrow(/hold rows of f_aaa/);
  });

  it('refuses a key this file owns under another fingerprint instead of reclassifying it', async () => {
    // Prepare
    const world = newWorld();
    await dedupInOrder([{ fileId: fileIds.a, rows: [A] }], world);

    // Act / Assess
    await expect(
      dedupInOrder([{ fileId: fileIds.a, runId: 'run_2', rows: [B] }], world),
    ).rejects.toBeInstanceOf(FingerprintDriftError);
  });

  it('refuses a dataset version without a contract', async () => {
    const objects = memoryObjects();
    const input = landSilver(objects, { fileId: fileIds.a, rows: [A] });

    await expect(
      dedupFile({ ...input, schemaV: 9 }, testPorts(objects), testConfig()),
    ).rejects.toBeInstanceOf(UnknownContractError);
  });
});
