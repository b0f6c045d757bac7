import type { MatchingRules } from '../../config/matching-rules.ts';
import { addDays } from './business-dates.ts';
import type { SettlementMatchPorts } from './ports.ts';

/**
 * The later business dates whose windows read `asOf` and must be matched again now that a file of `asOf` has
 * been deduplicated: asOf + 1 … asOf + windowDays, where the partner already has deduplicated files (a run as of
 * that date exists or will) and none still awaits dedup (that file's own RecordsDeduplicated runs the window, and
 * reads this file's rows because this file's dedup committed first).
 *
 * Why: files do not always finish in date order (a resume after a crash, a redrive, a rerun, a late file). A run
 * as of a later date that finished before this file was deduplicated missed its rows; without this its snapshot
 * would stay stale until another file of that date arrived, and the day's verdict would differ from a run in
 * date order.
 * @example laterWindowsToRematch('acme-bank', '2026-11-20', { windowDays: 7 }, ports) // ['2026-11-22']
 */
export async function laterWindowsToRematch(
  partner: string,
  asOf: string,
  rules: Pick<MatchingRules, 'windowDays'>,
  ports: Pick<SettlementMatchPorts, 'dedupRuns' | 'filesAwaitingDedup'>,
): Promise<string[]> {
  const dates: string[] = [];
  for (let day = 1; day <= rules.windowDays; day += 1) {
    const date = addDays(asOf, day);
    const runs = (await ports.dedupRuns(date, partner)).filter((run) => run.partner === partner);
    if (runs.length === 0) continue;
    if ((await ports.filesAwaitingDedup(date, partner)).length > 0) continue;
    dates.push(date);
  }
  return dates;
}
