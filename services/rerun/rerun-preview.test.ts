import { describe, expect, it } from 'vitest';
import { previewRerun, startRerun } from './rerun.ts';
import { closedFile, dedupRunFor, fakeRerunPorts } from './test-support/fakes.ts';

const fileId = (n: number) => `f_${String(n).padStart(24, '0')}`;
const DAY = '2026-11-20';

describe('previewRerun (rerun --dry-run)', () => {
  it('lists the files a rerun would reopen and the ones it would skip, with reasons, and writes nothing', async () => {
    // Prepare: one closed file, one still open in its run, one whose raw snapshot is gone
    const closed = closedFile(fileId(1));
    const open = closedFile(fileId(2), { stage: 'LANDED', runId: 'run_00000000000000000000000000000002' });
    const gone = closedFile(fileId(3));
    const fake = fakeRerunPorts({
      files: [closed, open, gone],
      dedupRuns: [dedupRunFor(closed), dedupRunFor(gone)],
      missingRaw: [gone.raw.key],
    });
    const before = structuredClone([...fake.files.values()]);

    // Act
    const preview = await previewRerun({ from: DAY, to: DAY, requestedBy: 'ops' }, fake.ports);

    // Assess
    expect(preview.runId).toBeNull();
    expect(preview.wouldReopen).toEqual([
      expect.objectContaining({ fileId: fileId(1), currentRunId: closed.runId, schemaV: 1 }),
    ]);
    expect(preview.skipped.map((file) => [file.fileId, file.code])).toEqual([
      [fileId(2), 'OPEN_IN_ANOTHER_RUN'],
      [fileId(3), 'RAW_SNAPSHOT_MISSING'],
    ]);
    expect(preview.alreadyInRun).toEqual([]);
    expect(fake.runs.size).toBe(0);
    expect(fake.events).toEqual([]);
    expect([...fake.files.values()]).toEqual(before);
  });

  it('predicts what the rerun then does, and on a resume counts the files already in that run', async () => {
    // Prepare
    const files = [closedFile(fileId(1)), closedFile(fileId(2), { dataset: 'settlements' })];
    const fake = fakeRerunPorts({ files, dedupRuns: files.map((file) => dedupRunFor(file)) });

    // Act
    const preview = await previewRerun({ from: DAY, to: DAY, requestedBy: 'ops' }, fake.ports);
    const outcome = await startRerun({ from: DAY, to: DAY, requestedBy: 'ops' }, fake.ports);
    const resume = await previewRerun(
      { from: DAY, to: DAY, requestedBy: 'ops', runId: outcome.runId },
      fake.ports,
    );

    // Assess
    expect(outcome.reopened.map((file) => file.fileId)).toEqual(
      preview.wouldReopen.map((file) => file.fileId),
    );
    expect(resume.runId).toBe(outcome.runId);
    expect(resume.wouldReopen).toEqual([]);
    expect(resume.alreadyInRun.map((file) => file.fileId).sort()).toEqual([fileId(1), fileId(2)]);
  });
});
