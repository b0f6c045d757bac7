import { describe, expect, it } from 'vitest';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import {
  RerunInterruptedError,
  RerunRequestError,
  RunNotFoundError,
  RunScopeMismatchError,
} from './errors.ts';
import { startRerun } from './rerun.ts';
import { closedFile, dedupRunFor, fakeRerunPorts } from './test-support/fakes.ts';

const fileId = (n: number) => `f_${String(n).padStart(24, '0')}`;
const DAY1 = '2026-11-20';
const DAY2 = '2026-11-21';

describe('startRerun', () => {
  it('moves every terminal file of the range into one new run, announcing each from its raw snapshot', async () => {
    // Prepare
    const validated = closedFile(fileId(1));
    const rejected = closedFile(fileId(2), {
      businessDate: DAY2,
      stage: 'REJECTED',
      runId: 'run_00000000000000000000000000000002',
      counts: { rowsIn: 0, valid: 0, quarantined: 0 },
      rejection: { code: 'HEADER_MISMATCH', reason: 'column 2' },
      controlTotals: undefined,
      validTotals: undefined,
    });
    const fake = fakeRerunPorts({ files: [validated, rejected], dedupRuns: [dedupRunFor(validated)] });

    // Act
    const outcome = await startRerun({ from: DAY1, to: DAY2, requestedBy: 'ops' }, fake.ports);

    // Assess
    expect(outcome.runId).toMatch(/^run_[0-9a-f]{32}$/);
    expect(outcome.resumed).toBe(false);
    expect(outcome.reopened.map((file) => [file.fileId, file.previousStage])).toEqual([
      [fileId(1), 'VALIDATED'],
      [fileId(2), 'REJECTED'],
    ]);
    expect(outcome.skipped).toEqual([]);
    expect(fake.events).toHaveLength(2);
    for (const event of fake.events) {
      const original = event.data.fileId === fileId(1) ? validated : rejected;
      expect(FileLandedV1.schema.parse(event)).toEqual(event);
      expect(event).toMatchObject({
        runId: outcome.runId,
        producer: 'rerun',
        correlationId: original.fileId,
      });
      expect(event.data).toMatchObject({
        sha256: original.sha256,
        raw: original.raw,
        landing: original.landing,
        businessDate: original.businessDate,
      });
      expect(fake.files.get(original.fileId)).toMatchObject({
        runId: outcome.runId,
        stage: 'LANDED',
        landedAt: original.landedAt,
        lastEventId: event.eventId,
      });
    }
    expect(fake.history.get(`${fileId(1)}/${validated.runId}`)).toMatchObject({
      stage: 'VALIDATED',
      counts: validated.counts,
      validTotals: validated.validTotals,
      lastEventId: validated.lastEventId,
      dedupEventId: `dedup-${fileId(1)}`,
      schemaV: 1,
      movedToRunId: outcome.runId,
    });
    expect(fake.history.get(`${fileId(2)}/${rejected.runId}`)).toMatchObject({
      stage: 'REJECTED',
      rejection: rejected.rejection,
      dedupEventId: null,
    });
    expect(outcome.run).toMatchObject({
      pk: `RUN#${outcome.runId}`,
      kind: 'rerun',
      from: DAY1,
      to: DAY2,
      dataset: null,
      partner: null,
      requestedBy: 'ops',
      fileCount: 2,
      passes: 1,
      lastPass: { reopened: 2, alreadyInRun: 0, skipped: 0 },
    });
  });

  it('narrows each day to the dataset and partner asked for', async () => {
    // Prepare
    const fake = fakeRerunPorts({
      files: [closedFile(fileId(1)), closedFile(fileId(2), { partner: 'globex-pay' })],
    });

    // Act
    const outcome = await startRerun(
      { from: DAY1, to: DAY2, dataset: 'transactions', partner: 'acme-bank' },
      fake.ports,
    );

    // Assess
    expect(fake.listed).toEqual([
      { businessDate: DAY1, filter: { dataset: 'transactions', partner: 'acme-bank' } },
      { businessDate: DAY2, filter: { dataset: 'transactions', partner: 'acme-bank' } },
    ]);
    expect(outcome.reopened.map((file) => file.fileId)).toEqual([fileId(1)]);
    expect(fake.files.get(fileId(2))?.stage).toBe('VALIDATED');
  });

  it('refuses a file still open in another run, saying what to do, and reruns the rest', async () => {
    // Prepare
    const open = closedFile(fileId(1), {
      stage: 'LANDED',
      openShard: 'OPEN',
      openSince: '2026-11-20T11:00:00Z',
    });
    const fake = fakeRerunPorts({ files: [open, closedFile(fileId(2))] });

    // Act
    const outcome = await startRerun({ from: DAY1, to: DAY1 }, fake.ports);

    // Assess
    expect(outcome.reopened.map((file) => file.fileId)).toEqual([fileId(2)]);
    expect(outcome.skipped).toEqual([
      expect.objectContaining({ fileId: fileId(1), code: 'OPEN_IN_ANOTHER_RUN' }),
    ]);
    expect(outcome.skipped[0]?.reason).toContain(`still open in run ${open.runId}`);
    expect(outcome.skipped[0]?.reason).toContain(`resume with --run-id ${outcome.runId}`);
    expect(fake.files.get(fileId(1))).toEqual(open);
    expect(fake.history.has(`${fileId(1)}/${open.runId}`)).toBe(false);
  });

  it('skips a file whose raw snapshot is gone and leaves its run standing', async () => {
    // Prepare
    const gone = closedFile(fileId(1), { raw: { bucket: 'quarantine', key: 'restricted/x.csv' } });
    const fake = fakeRerunPorts({ files: [gone], missingRaw: ['restricted/x.csv'] });

    // Act
    const outcome = await startRerun({ from: DAY1, to: DAY1 }, fake.ports);

    // Assess
    expect(outcome.reopened).toEqual([]);
    expect(outcome.skipped).toEqual([expect.objectContaining({ code: 'RAW_SNAPSHOT_MISSING' })]);
    expect(outcome.skipped[0]?.reason).toContain('s3://quarantine/restricted/x.csv');
    expect(fake.files.get(fileId(1))).toEqual(gone);
  });

  it.each([
    ['the contract version its run validated with', { schemaV: 7 }, 'acme-bank', 7],
    ['the version its partner declares when it was never deduplicated', null, 'acme-bank', 1],
  ])('validates again with %s', async (_name, dedup, partner, expected) => {
    // Prepare
    const file = closedFile(fileId(1), { partner });
    const fake = fakeRerunPorts({ files: [file], dedupRuns: dedup ? [dedupRunFor(file, dedup)] : [] });

    // Act
    const outcome = await startRerun({ from: DAY1, to: DAY1 }, fake.ports);

    // Assess
    expect(outcome.reopened[0]?.schemaV).toBe(expected);
    expect(fake.events[0]?.data.schemaV).toBe(expected);
  });

  it('skips a file whose contract version nobody knows any more', async () => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1), { partner: 'gone-partner' })] });

    // Act
    const outcome = await startRerun({ from: DAY1, to: DAY1 }, fake.ports);

    // Assess
    expect(outcome.skipped).toEqual([expect.objectContaining({ code: 'CONTRACT_VERSION_UNKNOWN' })]);
    expect(fake.events).toEqual([]);
  });

  it('does nothing twice when a run is resumed, and leaves files a later run took', async () => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1)), closedFile(fileId(2))] });
    const first = await startRerun({ from: DAY1, to: DAY1 }, fake.ports);
    // Both close again; a later rerun then takes the second file.
    for (const id of [fileId(1), fileId(2)]) fake.files.get(id)!.stage = 'VALIDATED';
    fake.files.get(fileId(2))!.runId = 'run_ffffffffffffffffffffffffffffffff';
    const eventsBefore = fake.events.length;

    // Act
    const resumed = await startRerun({ from: DAY1, to: DAY1, runId: first.runId }, fake.ports);

    // Assess
    expect(resumed).toMatchObject({ runId: first.runId, resumed: true, reopened: [] });
    expect(resumed.alreadyInRun.map((file) => file.fileId)).toEqual([fileId(1)]);
    expect(resumed.skipped).toEqual([expect.objectContaining({ fileId: fileId(2), code: 'MOVED_ON' })]);
    expect(fake.events).toHaveLength(eventsBefore);
    expect(resumed.run).toMatchObject({ fileCount: 2, passes: 2 });
  });

  it('reports a file that changed between its read and its transaction', async () => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1))] });
    fake.overrides.reopen = async () => 'file-changed';

    // Act
    const outcome = await startRerun({ from: DAY1, to: DAY1 }, fake.ports);

    // Assess
    expect(outcome.skipped).toEqual([expect.objectContaining({ code: 'FILE_CHANGED' })]);
    expect(outcome.skipped[0]?.reason).toContain(`--run-id ${outcome.runId}`);
  });

  it('names the run to resume when a pass stops part-way', async () => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1))] });
    fake.overrides.reopen = async () => {
      throw new Error('throttled');
    };

    // Act
    const attempt = startRerun({ from: DAY1, to: DAY1 }, fake.ports);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RerunInterruptedError);
    await expect(attempt).rejects.toThrow(/throttled.*resume with --run-id run_[0-9a-f]{32}/);
  });

  it('refuses to resume a run that does not exist, or with another range or filters', async () => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1))] });
    const run = await startRerun({ from: DAY1, to: DAY1, partner: 'acme-bank' }, fake.ports);

    // Act & Assess
    await expect(
      startRerun({ from: DAY1, to: DAY1, runId: 'run_0123456789abcdef0123456789abcdef' }, fake.ports),
    ).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(startRerun({ from: DAY1, to: DAY2, runId: run.runId }, fake.ports)).rejects.toThrow(
      RunScopeMismatchError,
    );
    await expect(startRerun({ from: DAY1, to: DAY1, runId: run.runId }, fake.ports)).rejects.toThrow(
      /every dataset, partner acme-bank, not .* every partner/,
    );
  });

  it('writes nothing for a request it cannot run', async () => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1))] });

    // Act & Assess
    await expect(startRerun({ from: DAY2, to: DAY1 }, fake.ports)).rejects.toBeInstanceOf(RerunRequestError);
    expect(fake.runs.size).toBe(0);
    expect(fake.events).toEqual([]);
  });
});
