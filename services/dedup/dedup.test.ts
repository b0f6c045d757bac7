import { describe, expect, it } from 'vitest';
import type { SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import {
  RecordsDeduplicatedPayloadSchema,
  sumControlTotals,
} from '../../contracts/events/records-deduplicated.ts';
import { dedupFile } from './dedup.ts';
import type { ConflictEntry, DuplicateEntry } from './dedup-outputs.ts';
import { FingerprintDriftError, SilverMismatchError, UnknownContractError } from './errors.ts';
import type { KeyRecord } from './ports.ts';
import { FINGERPRINT_VERSION } from './record-identity.ts';
import {
  fileIds,
  landSilver,
  memoryKeyStore,
  memoryObjects,
  NOW_SECONDS,
  type SilverFile,
  testConfig,
  testPorts,
  txValues,
} from './test-support/fakes.ts';
import { entries, uniqueRows } from './test-support/read-outputs.ts';

const A = txValues('tx-1');
const B = txValues('tx-1', { amount: '11.00' });
const other = (n: number) => txValues(`tx-${n}`);

/** Dedup `files` in order on one key store; returns the last file's payload and what it wrote. */
async function dedupInOrder(files: readonly SilverFile[], keys = memoryKeyStore(), config = testConfig()) {
  const objects = memoryObjects();
  const ports = testPorts(objects, keys);
  let payload: Awaited<ReturnType<typeof dedupFile>> | undefined;
  for (const file of files) payload = await dedupFile(landSilver(objects, file), ports, config);
  if (!payload) throw new Error('no file');
  return { payload, objects, keys };
}

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
    const { payload, objects, keys } = await dedupInOrder([
      { fileId: fileIds.a, runId: 'run_a', rows: [A] },
      { fileId: fileIds.b, runId: 'run_b', rows: [B] },
    ]);

    // Assess
    const [conflict] = entries<ConflictEntry>(objects, payload.conflicts);
    const owner = keys.records.get('KEY#transactions#acme-bank#tx-1');
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
    const objects = memoryObjects();
    const keys = memoryKeyStore();
    const input = landSilver(objects, { fileId: fileIds.a, rows: [A, other(2), A] });

    // Act
    const first = await dedupFile(input, testPorts(objects, keys), testConfig());
    const claimed = new Map(keys.records);
    const retry = await dedupFile(input, testPorts(objects, keys), testConfig());

    // Assess
    expect(retry).toEqual(first);
    expect(retry.counts).toEqual({ valid: 3, unique: 2, duplicates: 1, conflicts: 0 });
    expect(keys.records).toEqual(claimed);
  });

  it('reproduces the classification for a rerun with a new runId, under the new run, keeping the first owner', async () => {
    // Prepare
    const objects = memoryObjects();
    const keys = memoryKeyStore();
    const rows = [A, other(2), A];

    // Act
    const first = await dedupFile(
      landSilver(objects, { fileId: fileIds.a, runId: 'run_1', rows }),
      testPorts(objects, keys),
      testConfig(),
    );
    const rerun = await dedupFile(
      landSilver(objects, { fileId: fileIds.a, runId: 'run_2', rows }),
      testPorts(objects, keys),
      testConfig(),
    );

    // Assess
    expect(rerun.counts).toEqual(first.counts);
    expect(rerun.unique.prefix).toContain('/run_id=run_2/');
    expect(rerun.unique.prefix.startsWith('silver/dedup/dataset=transactions/')).toBe(true);
    expect(await uniqueRows(objects, rerun.unique)).toEqual(await uniqueRows(objects, first.unique));
    expect(keys.records.get('KEY#transactions#acme-bank#tx-1')?.owner.runId).toBe('run_1');
  });

  it.each([
    ['returns the winner', true],
    ['makes it read the winner again', false],
  ])('re-classifies only the keys lost to a race when the store %s', async (_name, reportWinner) => {
    // Prepare: between our read and our claim, file a claims tx-1 with the same content and tx-3 with another.
    let raced = false;
    const winner = (id: string, fingerprint: string): KeyRecord => ({
      key: `KEY#transactions#acme-bank#${id}`,
      fingerprint,
      fingerprintVersion: 1,
      owner: {
        fileId: fileIds.a,
        runId: 'run_a',
        rowNumber: 9,
        businessDate: '2026-11-19',
        sha256: 'a'.repeat(64),
      },
      expiresAt: NOW_SECONDS + 60,
    });
    const keys = memoryKeyStore({
      reportWinner,
      race: (claims) => {
        if (raced) return [];
        raced = true;
        const tx1 = claims.find((claim) => claim.key.endsWith('#tx-1'));
        return [winner('tx-1', tx1?.fingerprint ?? ''), winner('tx-3', 'e'.repeat(64))];
      },
    });

    // Act
    const { payload, objects } = await dedupInOrder(
      [{ fileId: fileIds.b, rows: [A, other(2), other(3), other(4)] }],
      keys,
    );

    // Assess
    expect(payload.counts).toEqual({ valid: 4, unique: 2, duplicates: 1, conflicts: 1 });
    expect((await uniqueRows(objects, payload.unique)).map((row) => row.id)).toEqual(['tx-2', 'tx-4']);
    const written = [
      ...entries<DuplicateEntry>(objects, payload.duplicates),
      ...entries<ConflictEntry>(objects, payload.conflicts),
    ];
    expect(written.map(summary).sort()).toEqual([
      'conflict cross-file row 4 ↔ f_a:9@2026-11-19',
      'duplicate cross-file row 2 ↔ f_a:9@2026-11-19',
    ]);
    expect(keys.records.get('KEY#transactions#acme-bank#tx-2')?.owner.fileId).toBe(fileIds.b);
    expect(keys.records.get('KEY#transactions#acme-bank#tx-1')?.owner.fileId).toBe(fileIds.a);
    expect(keys.calls.claim).toEqual([4, 2]);
  });

  it('claims again a key whose retention has passed (TTL deletes late)', async () => {
    // Prepare
    const keys = memoryKeyStore();
    keys.records.set('KEY#transactions#acme-bank#tx-1', {
      key: 'KEY#transactions#acme-bank#tx-1',
      fingerprint: '0'.repeat(64),
      fingerprintVersion: 1,
      owner: {
        fileId: fileIds.a,
        runId: 'r',
        rowNumber: 2,
        businessDate: '2025-01-01',
        sha256: 'a'.repeat(64),
      },
      expiresAt: NOW_SECONDS,
    });

    // Act
    const { payload } = await dedupInOrder([{ fileId: fileIds.b, rows: [B] }], keys);

    // Assess
    expect(payload.counts.unique).toBe(1);
    expect(keys.records.get('KEY#transactions#acme-bank#tx-1')?.owner.fileId).toBe(fileIds.b);
  });

  it('reads and claims at most keyBatchSize keys at a time and keeps file order across parts', async () => {
    // Prepare
    const keys = memoryKeyStore();
    const rows = Array.from({ length: 250 }, (_, index) => other(index));
    const objects = memoryObjects();
    const input = landSilver(objects, { fileId: fileIds.a, rows }, { partRows: 70 });

    // Act
    const payload = await dedupFile(
      input,
      testPorts(objects, keys),
      testConfig({ keyBatchSize: 100, claimConcurrency: 3, partRows: 90 }),
    );

    // Assess
    expect(input.silver.parts).toHaveLength(4);
    expect(Math.max(...keys.calls.getKeys, ...keys.calls.claim)).toBeLessThanOrEqual(100);
    expect(keys.calls.getKeys.reduce((sum, count) => sum + count, 0)).toBe(250);
    expect(payload.unique.parts).toHaveLength(3);
    expect((await uniqueRows(objects, payload.unique)).map((row) => row.rowNumber)).toEqual(
      rows.map((_, index) => index + 2),
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
    ).rejects.toThrow(/holds rows of f_aaa/);
  });

  it('refuses a key this file owns under another fingerprint instead of reclassifying it', async () => {
    // Prepare
    const keys = memoryKeyStore();
    await dedupInOrder([{ fileId: fileIds.a, rows: [A] }], keys);

    // Act / Assess
    await expect(
      dedupInOrder([{ fileId: fileIds.a, runId: 'run_2', rows: [B] }], keys),
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
