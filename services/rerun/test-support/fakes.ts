import type { DedupRunRecord } from '../../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../../lib/file-registry/file-record.ts';
import type { DayFilter } from '../../../lib/file-registry/file-registry-store.ts';
import type {
  FileRunHistoryRecord,
  RerunRecord,
  RunMemberRecord,
} from '../../../lib/file-registry/run-record.ts';
import { fileRecordFixture } from '../../../lib/file-registry/test-support/file-record.ts';
import type { FileLandedDetail, RerunPorts } from '../ports.ts';

/**
 * An in-memory registry with the adapter's conditions: a reopen moves a file only when it is still terminal in the
 * run it was read in, and puts a membership only once.
 */
export function fakeRerunPorts(
  seed: { files?: FileRecord[]; dedupRuns?: DedupRunRecord[]; missingRaw?: string[] } = {},
) {
  const files = new Map((seed.files ?? []).map((file) => [file.fileId, structuredClone(file)]));
  const dedupRuns = [...(seed.dedupRuns ?? [])];
  const missingRaw = new Set(seed.missingRaw ?? []);
  const runs = new Map<string, RerunRecord>();
  const members = new Map<string, RunMemberRecord>();
  const history = new Map<string, FileRunHistoryRecord>();
  const events: FileLandedDetail[] = [];
  const listed: { businessDate: string; filter: DayFilter }[] = [];
  let ids = 0;
  let clock = Date.parse('2026-12-01T09:00:00Z');
  const overrides: Partial<RerunPorts> = {};

  const ports: RerunPorts = {
    getRun: async (runId) => structuredClone(runs.get(runId)),
    createRun: async (run) => {
      if (runs.has(run.runId)) return 'exists';
      runs.set(run.runId, structuredClone(run));
      return 'created';
    },
    finishPass: async (runId, pass, at) => {
      const run = runs.get(runId);
      if (!run) throw new Error(`no run ${runId}`);
      const updated: RerunRecord = {
        ...run,
        fileCount: [...members.values()].filter((member) => member.runId === runId).length,
        passes: run.passes + 1,
        lastPassAt: at,
        lastPass: pass,
      };
      runs.set(runId, updated);
      return structuredClone(updated);
    },
    listDay: async (businessDate, filter) => {
      listed.push({ businessDate, filter });
      const inScope = (item: { businessDate: string; dataset: string; partner: string }) =>
        item.businessDate === businessDate &&
        (filter.dataset === undefined || item.dataset === filter.dataset) &&
        (filter.partner === undefined || item.partner === filter.partner);
      return {
        files: [...files.values()].filter(inScope).map((file) => structuredClone(file)),
        dedupRuns: dedupRuns.filter(inScope),
      };
    },
    getFile: async (fileId) => structuredClone(files.get(fileId)),
    isMember: async (runId, fileId) => members.has(`${runId}/${fileId}`),
    members: async (runId) => [...members.values()].filter((member) => member.runId === runId),
    rawExists: async (raw) => !missingRaw.has(raw.key),
    reopen: async ({ file, history: previous, member, event }) => {
      if (members.has(`${member.runId}/${member.fileId}`)) return 'already-in-run';
      const current = files.get(file.fileId);
      if (!current || current.runId !== file.runId || current.stage === 'LANDED') return 'file-changed';
      files.set(file.fileId, {
        ...current,
        runId: member.runId,
        stage: 'LANDED',
        stageAt: member.reopenedAt,
        lastEventId: event.eventId,
        openShard: 'OPEN',
        openSince: member.reopenedAt,
        redrives: 0,
        counts: undefined,
        rejection: undefined,
        controlTotals: undefined,
        validTotals: undefined,
      });
      history.set(`${previous.fileId}/${previous.runId}`, previous);
      members.set(`${member.runId}/${member.fileId}`, member);
      events.push(event);
      return 'reopened';
    },
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
    newId: () => {
      ids += 1;
      return `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
    },
  };
  const withOverrides = new Proxy(ports, {
    get: (target, name: keyof RerunPorts) => overrides[name] ?? target[name],
  });
  return { ports: withOverrides, overrides, files, runs, members, history, events, listed };
}

/** A file that closed in run `runId` (VALIDATED with counts and totals unless overridden). */
export function closedFile(fileId: string, overrides: Partial<FileRecord> = {}): FileRecord {
  return fileRecordFixture(fileId, {
    stage: 'VALIDATED',
    runId: 'run_00000000000000000000000000000001',
    sha256: 'a'.repeat(64),
    counts: { rowsIn: 3, valid: 3, quarantined: 0 },
    controlTotals: { declared: null, computed: { rowCount: 3, sums: { EUR: '300' } } },
    validTotals: { rowCount: 3, sums: { EUR: '300' } },
    lastEventId: `validated-${fileId}`,
    ...overrides,
    ...(overrides.businessDate
      ? { day: overrides.businessDate, daySort: `transactions#acme-bank#${fileId}#FILE` }
      : {}),
  });
}

/** The dedup record of a file's run. */
export function dedupRunFor(file: FileRecord, overrides: Partial<DedupRunRecord> = {}): DedupRunRecord {
  return {
    pk: `FILE#${file.fileId}`,
    sk: `DEDUP#${file.runId}`,
    day: file.businessDate,
    daySort: `${file.dataset}#${file.partner}#${file.fileId}#DEDUP#${file.runId}`,
    fileId: file.fileId,
    runId: file.runId,
    partner: file.partner,
    dataset: file.dataset,
    businessDate: file.businessDate,
    schemaV: 1,
    sha256: file.sha256,
    counts: { valid: 3, unique: 3, duplicates: 0, conflicts: 0 },
    totals: {
      unique: { rowCount: 3, sums: { EUR: '300' } },
      duplicates: { rowCount: 0, sums: {} },
      conflicts: { rowCount: 0, sums: {} },
    },
    unique: { bucket: 'silver', prefix: 'silver/dedup/x/', parts: ['silver/dedup/x/part-00000.parquet'] },
    eventId: `dedup-${file.fileId}`,
    committedAt: '2026-11-21T10:00:00Z',
    ...overrides,
  } as DedupRunRecord;
}
