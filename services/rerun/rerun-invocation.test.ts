import { describe, expect, it } from 'vitest';
import { RerunRequestError } from './errors.ts';
import { invokeRerun } from './rerun-invocation.ts';
import { closedFile, dedupRunFor, fakeRerunPorts } from './test-support/fakes.ts';

const DAY = '2026-11-20';
const fileId = (n: number) => `f_${String(n).padStart(24, '0')}`;

describe('invokeRerun', () => {
  it('runs a pass and returns counts, the run and the payload that resumes it', async () => {
    // Prepare
    const file = closedFile(fileId(1));
    const fake = fakeRerunPorts({ files: [file], dedupRuns: [dedupRunFor(file)] });

    // Act
    const summary = await invokeRerun({ from: DAY, to: DAY, requestedBy: 'finance-oncall' }, fake.ports);

    // Assess
    expect(summary).toMatchObject({
      resumed: false,
      reopened: 1,
      alreadyInRun: 0,
      skipped: [],
      run: { from: DAY, to: DAY, requestedBy: 'finance-oncall', fileCount: 1, passes: 1 },
    });
    expect(summary.next).toContain(
      JSON.stringify({ from: DAY, to: DAY, requestedBy: 'finance-oncall', runId: summary.runId }),
    );
    expect(fake.events.map((event) => event.data.fileId)).toEqual([fileId(1)]);
  });

  it('resumes with the run id, redoing nothing, and lists skipped files with what to do', async () => {
    // Prepare
    const file = closedFile(fileId(1));
    const gone = closedFile(fileId(2), { raw: { bucket: 'raw', key: 'restricted/gone.csv' } });
    const fake = fakeRerunPorts({ files: [file, gone], missingRaw: ['restricted/gone.csv'] });
    const first = await invokeRerun({ from: DAY, to: DAY, requestedBy: 'ops' }, fake.ports);

    // Act
    const again = await invokeRerun(
      { from: DAY, to: DAY, requestedBy: 'ops', runId: first.runId },
      fake.ports,
    );

    // Assess
    expect(first).toMatchObject({
      reopened: 1,
      skipped: [{ fileId: fileId(2), code: 'RAW_SNAPSHOT_MISSING' }],
    });
    expect(first.next).toMatch(/^1 file\(s\) were skipped/);
    expect(again).toMatchObject({ runId: first.runId, resumed: true, reopened: 0, alreadyInRun: 1 });
    expect(fake.events).toHaveLength(1);
  });

  it('stops taking files when told to (time running low) and resumes where it stopped', async () => {
    // Prepare: three files over two dates, one in flight at a time; time runs low after the first file.
    const files = [
      closedFile(fileId(1)),
      closedFile(fileId(2)),
      closedFile(fileId(3), { businessDate: '2026-11-21' }),
    ];
    const fake = fakeRerunPorts({ files });
    const payload = { from: DAY, to: '2026-11-21', requestedBy: 'ops' };
    let checks = 0;

    // Act
    const first = await invokeRerun(payload, fake.ports, { filesInFlight: 1, stopWhen: () => ++checks > 2 });
    const rest = await invokeRerun({ ...payload, runId: first.runId }, fake.ports, { filesInFlight: 1 });

    // Assess
    expect(first).toMatchObject({ complete: false, reopened: 1, run: { fileCount: 1, passes: 1 } });
    expect(first.next).toContain('stopped before the end of the range');
    expect(first.next).toContain(`"runId":"${first.runId}"`);
    expect(rest).toMatchObject({
      complete: true,
      reopened: 2,
      alreadyInRun: 1,
      run: { fileCount: 3, passes: 2 },
    });
    expect(fake.events.map((event) => event.data.fileId).sort()).toEqual([fileId(1), fileId(2), fileId(3)]);
  });

  it.each([
    ['no requester', { from: DAY, to: DAY }, /requestedBy/],
    ['a blank requester', { from: DAY, to: DAY, requestedBy: '  ' }, /requestedBy/],
    ['an unknown field', { from: DAY, to: DAY, requestedBy: 'ops', date: DAY }, /date/],
    ['not an object', 'rerun november', /payload must be JSON like/],
  ])('refuses %s before writing anything, with an example payload', async (_case, payload, detail) => {
    // Prepare
    const fake = fakeRerunPorts({ files: [closedFile(fileId(1))] });

    // Act
    const attempt = invokeRerun(payload, fake.ports);

    // Assess
    await expect(attempt).rejects.toThrow(RerunRequestError);
    await expect(attempt).rejects.toThrow(detail);
    await expect(attempt).rejects.toThrow('"requestedBy":"<your login>"');
    expect(fake.runs.size).toBe(0);
    expect(fake.events).toEqual([]);
  });

  it('passes the request checks of the CLI through (dates, range)', async () => {
    // Prepare
    const fake = fakeRerunPorts();

    // Act
    const attempt = invokeRerun({ from: '2026-11-31', to: DAY, requestedBy: 'ops' }, fake.ports);

    // Assess
    await expect(attempt).rejects.toThrow(/from must be a business date|2026-11-31/);
    expect(fake.runs.size).toBe(0);
  });
});
