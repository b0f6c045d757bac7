import { type FileRecord, TERMINAL_STAGES } from '../../lib/file-registry/file-record.ts';
import type { RunMemberRecord } from '../../lib/file-registry/run-record.ts';
import type { RerunPorts } from './ports.ts';
import type { FileRef } from './rerun-plan.ts';

/** Where the files of a run are. */
export interface RerunProgress {
  readonly runId: string;
  /** Files moved into the run so far. */
  readonly members: number;
  /** Members VALIDATED or REJECTED in this run. */
  readonly terminal: number;
  /** Members still LANDED in this run (being validated, or stuck: the watchdog re-drives them). */
  readonly open: readonly FileRef[];
  /** Members a later rerun has moved on since: no longer this run's to finish. */
  readonly movedOn: number;
  /** True when no member is open in this run. */
  readonly done: boolean;
}

/**
 * Progress of a run from its members and their FILE items (read after the members).
 * @example progressOf('run_…', members, files) // { members: 3, terminal: 2, open: [ … ], movedOn: 0, done: false }
 */
export function progressOf(
  runId: string,
  members: readonly RunMemberRecord[],
  files: ReadonlyMap<string, FileRecord>,
): RerunProgress {
  let terminal = 0;
  let movedOn = 0;
  const open: FileRef[] = [];
  for (const member of members) {
    const file = files.get(member.fileId);
    if (!file || file.runId !== runId) movedOn += 1;
    else if (TERMINAL_STAGES.includes(file.stage)) terminal += 1;
    else
      open.push({
        fileId: member.fileId,
        partner: member.partner,
        dataset: member.dataset,
        businessDate: member.businessDate,
        fileName: member.fileName,
      });
  }
  return { runId, members: members.length, terminal, open, movedOn, done: open.length === 0 };
}

/** Read a run's members and their files, and say where they are. */
export async function rerunProgress(
  runId: string,
  ports: Pick<RerunPorts, 'members' | 'getFile'>,
): Promise<RerunProgress> {
  const members = await ports.members(runId);
  const files = new Map<string, FileRecord>();
  for (const member of members) {
    const file = await ports.getFile(member.fileId);
    if (file) files.set(file.fileId, file);
  }
  return progressOf(runId, members, files);
}
