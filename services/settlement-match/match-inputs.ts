import { digestId } from '../../lib/ids/digest-id.ts';
import { addDays, type MatchingWindow } from './business-dates.ts';
import type { DedupRunRef } from './ports.ts';

/**
 * Every business date of a window, oldest first.
 * @example windowDates({ from: '2026-11-19', to: '2026-11-20' }) // ['2026-11-19', '2026-11-20']
 */
export function windowDates(window: MatchingWindow): string[] {
  const dates: string[] = [];
  for (let date = window.from; date <= window.to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The latest committed dedup run of each file (a file revalidated by a newer run is read from that run only),
 * in (dataset, businessDate, fileId) order: the SettlementsMatched inputs order.
 */
export function latestRunPerFile(runs: readonly DedupRunRef[]): DedupRunRef[] {
  const latest = new Map<string, DedupRunRef>();
  for (const run of runs) {
    const seen = latest.get(run.fileId);
    if (
      !seen ||
      cmp(seen.committedAt, run.committedAt) < 0 ||
      (seen.committedAt === run.committedAt && seen.runId < run.runId)
    )
      latest.set(run.fileId, run);
  }
  return [...latest.values()].sort(
    (a, b) => cmp(a.dataset, b.dataset) || cmp(a.businessDate, b.businessDate) || cmp(a.fileId, b.fileId),
  );
}

/**
 * Deterministic id of a run over these inputs: the same files read from the same dedup runs give the same id
 * (a redelivery commits nothing new); a late file changes it (a new snapshot of the window).
 * @example matchRunIdOf(inputs) // 'mr_3f1c…' (24 hex digits)
 */
export function matchRunIdOf(inputs: readonly DedupRunRef[]): string {
  const lines = inputs.map((input) => `${input.fileId}:${input.runId}`).sort(cmp);
  return digestId('mr', lines.join('\n'));
}
