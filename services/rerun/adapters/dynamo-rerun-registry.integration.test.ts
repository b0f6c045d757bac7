import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../../lib/file-registry/file-record.ts';
import { FileRegistryStore } from '../../../lib/file-registry/file-registry-store.ts';
import { outboxKey } from '../../../lib/outbox/outbox-item.ts';
import { startTestStack, type TestStack } from '../../../runtime/testing/helpers.ts';
import type { RerunPorts } from '../ports.ts';
import { reopenCommitOf } from '../rerun-plan.ts';
import { closedFile, dedupRunFor } from '../test-support/fakes.ts';
import { dynamoRerunRegistry } from './dynamo-rerun-registry.ts';

const FILE_ID = 'f_000000000000000000000001';
const RUN_B = 'run_0000000000000000000000000000000b';
const RUN_C = 'run_0000000000000000000000000000000c';
const eventId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('dynamoRerunRegistry on DynamoDB Local', () => {
  let stack: TestStack;
  let doc: DynamoDBDocumentClient;
  let registry: Omit<RerunPorts, 'rawExists' | 'now' | 'newId'>;
  let tables: { files: string; outbox: string };
  const original: FileRecord & { lastRedriveAt: string } = {
    ...closedFile(FILE_ID, { redrives: 2, rejection: undefined }),
    lastRedriveAt: '2026-11-20T12:00:00Z',
  };
  const dedup = dedupRunFor(original);

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'rerun-registry' });
    doc = DynamoDBDocumentClient.from(stack.clients.dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    tables = { files: stack.resources.tables.files!.name, outbox: stack.resources.tables.outbox!.name };
    registry = dynamoRerunRegistry(doc, tables);
    for (const item of [original, dedup])
      await doc.send(new PutCommand({ TableName: tables.files, Item: item }));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const commitFor = (file: FileRecord, runId: string, n: number) =>
    reopenCommitOf(file, {
      runId,
      schemaV: 1,
      eventId: eventId(n),
      at: `2026-12-01T09:00:0${n}Z`,
      dedupRun: dedup,
    });
  const outboxItem = async (id: string) =>
    (await doc.send(new GetCommand({ TableName: tables.outbox, Key: { pk: outboxKey(id) } }))).Item;

  it('moves the file, keeps its earlier run, records the membership and the FileLanded in one transaction', async () => {
    // Act
    const result = await registry.reopen(commitFor(original, RUN_B, 1));

    // Assess
    expect(result).toBe('reopened');
    const file = await registry.getFile(FILE_ID);
    expect(file).toMatchObject({
      runId: RUN_B,
      stage: 'LANDED',
      openShard: 'OPEN',
      openSince: '2026-12-01T09:00:01Z',
      lastEventId: eventId(1),
      redrives: 0,
      landedAt: original.landedAt,
      raw: original.raw,
    });
    for (const removed of ['counts', 'controlTotals', 'validTotals', 'lastRedriveAt'])
      expect(file).not.toHaveProperty(removed);
    const history = await new FileRegistryStore(doc, tables.files).runHistory(FILE_ID);
    expect(history).toEqual([
      expect.objectContaining({
        runId: original.runId,
        stage: 'VALIDATED',
        counts: original.counts,
        controlTotals: original.controlTotals,
        validTotals: original.validTotals,
        redrives: 2,
        lastRedriveAt: '2026-11-20T12:00:00Z',
        dedupEventId: dedup.eventId,
        movedToRunId: RUN_B,
      }),
    ]);
    expect(await registry.isMember(RUN_B, FILE_ID)).toBe(true);
    expect(await outboxItem(eventId(1))).toMatchObject({
      type: 'FileLanded',
      status: 'PENDING',
      source: 'finledger.rerun',
    });
  });

  it('lists neither the history nor the membership with the day: listDay sees the FILE item and DEDUP records only', async () => {
    // Act
    const listing = await new FileRegistryStore(doc, tables.files).listDay(original.businessDate);

    // Assess
    expect(listing.files.map((file) => [file.fileId, file.runId])).toEqual([[FILE_ID, RUN_B]]);
    expect(listing.dedupRuns.map((run) => run.runId)).toEqual([original.runId]);
  });

  it('writes nothing for a second move into the same run (a retry or a resumed pass)', async () => {
    // Prepare: the file closed again in run B.
    const closedAgain = { ...(await registry.getFile(FILE_ID))!, stage: 'VALIDATED' as const };
    await doc.send(new PutCommand({ TableName: tables.files, Item: closedAgain }));

    // Act: the same move, built from the read before the first commit.
    const result = await registry.reopen(commitFor(original, RUN_B, 2));

    // Assess
    expect(result).toBe('already-in-run');
    expect(await registry.getFile(FILE_ID)).toEqual(closedAgain);
    expect(await outboxItem(eventId(2))).toBeUndefined();
  });

  it('refuses a move built from a stale read: the file is no longer terminal in the run it was read in', async () => {
    // Prepare: the file is open in run B (its validation is running).
    const open = {
      ...(await registry.getFile(FILE_ID))!,
      stage: 'LANDED' as const,
      openShard: 'OPEN' as const,
    };
    await doc.send(new PutCommand({ TableName: tables.files, Item: open }));

    // Act: a run C that read the file while it was still VALIDATED in run B.
    const result = await registry.reopen(commitFor({ ...open, stage: 'VALIDATED' }, RUN_C, 3));

    // Assess
    expect(result).toBe('file-changed');
    expect(await registry.getFile(FILE_ID)).toEqual(open);
    expect(await registry.isMember(RUN_C, FILE_ID)).toBe(false);
    expect(await outboxItem(eventId(3))).toBeUndefined();
  });

  it('counts a run members at the end of a pass', async () => {
    // Prepare
    await registry.createRun({
      pk: `RUN#${RUN_B}`,
      sk: 'RUN',
      runId: RUN_B,
      kind: 'rerun',
      from: '2026-11-20',
      to: '2026-11-20',
      dataset: null,
      partner: null,
      requestedAt: '2026-12-01T09:00:00Z',
      requestedBy: null,
      fileCount: 0,
      passes: 0,
      lastPassAt: null,
      lastPass: null,
    });

    // Act
    const run = await registry.finishPass(
      RUN_B,
      { reopened: 1, alreadyInRun: 0, skipped: 0 },
      '2026-12-01T09:01:00Z',
    );

    // Assess
    expect(run).toMatchObject({ fileCount: 1, passes: 1, lastPassAt: '2026-12-01T09:01:00Z' });
    expect(await registry.createRun(run)).toBe('exists');
    expect((await registry.members(RUN_B)).map((member) => member.fileId)).toEqual([FILE_ID]);
  });
});
