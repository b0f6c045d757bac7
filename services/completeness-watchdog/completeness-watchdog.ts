import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { WatchdogPorts } from './ports.ts';

export interface WatchdogPolicy {
  /** A file must reach a terminal state within this many seconds of landing (or of its last re-drive). */
  slaSeconds: number;
  /** Re-drives before a file is reported stalled for a human instead of re-driven again. */
  maxRedrives: number;
}

export type WatchdogDecision =
  | { fileId: string; action: 'redrive'; eventId: string }
  | { fileId: string; action: 'report-stalled'; redrives: number; since: string };

export interface WatchdogReport {
  open: number;
  redriven: string[];
  stalled: string[];
  /** Files whose last event could not be found (expired outbox entry): re-land them by hand. */
  unrecoverable: string[];
}

const overdueSince = (file: FileRecord): string => file.lastRedriveAt ?? file.openSince ?? file.landedAt;

/** Pure decision: which overdue open files to re-drive and which to hand to a human. */
export function decideRedrives(
  open: readonly FileRecord[],
  now: Date,
  policy: WatchdogPolicy,
): WatchdogDecision[] {
  const deadline = now.getTime() - policy.slaSeconds * 1000;
  return open
    .filter((file) => Date.parse(overdueSince(file)) <= deadline)
    .map(
      (file): WatchdogDecision =>
        file.redrives >= policy.maxRedrives
          ? { fileId: file.fileId, action: 'report-stalled', redrives: file.redrives, since: file.landedAt }
          : { fileId: file.fileId, action: 'redrive', eventId: file.lastEventId },
    );
}

/**
 * Every landed file must reach a terminal state within the SLA.
 *
 * Primary course:
 * 1. List open files that are overdue.
 * 2. Count the re-drive on the file (skip it if it closed meanwhile); past `maxRedrives`, report
 *    the file stalled instead.
 * 3. Re-publish the event of its last committed stage (same eventId: consumers dedupe by business
 *    key, so a message that was merely slow is not processed twice).
 */
export async function runWatchdog(
  ports: WatchdogPorts,
  policy: WatchdogPolicy,
  now: Date = new Date(),
): Promise<WatchdogReport> {
  const open = await ports.listOpen(now.toISOString());
  const report: WatchdogReport = { open: open.length, redriven: [], stalled: [], unrecoverable: [] };
  for (const decision of decideRedrives(open, now, policy)) {
    if (decision.action === 'report-stalled') {
      report.stalled.push(decision.fileId);
      continue;
    }
    // Count before republishing: the re-driven file can close before a count written afterwards,
    // and a crash between the two then errs towards a human (stalled) rather than endless re-drives.
    const stillOpen = await ports.recordRedrive(decision.fileId, now.toISOString());
    if (!stillOpen) continue;
    const republished = await ports.republish(decision.eventId);
    if (!republished) {
      report.unrecoverable.push(decision.fileId);
      continue;
    }
    report.redriven.push(decision.fileId);
  }
  return report;
}
