import type { BaselineResult, CampaignResult, ScheduleResult } from './campaign.ts';
import { passedSchedule } from './campaign.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A wall time as minutes and seconds.
 * @example wallTime(843_000) // '14 min 3 s'
 */
export const wallTime = (ms: number): string => {
  const total = Math.round(ms / 1000);
  return total >= 60 ? `${Math.floor(total / 60)} min ${total % 60} s` : `${total} s`;
};

const OUTCOME_TEXT: Record<ScheduleResult['outcome'], (result: ScheduleResult) => string> = {
  identical: (result) =>
    result.problems.length === 0 ? 'identical' : `identical, ${result.problems.length} problem(s)`,
  differences: (result) => `${result.differences.length} difference(s)`,
  'not-idle': () => 'did not reach idle',
  'exit-code': (result) =>
    `exit code (${/exit \S+|signal \S+|timed out/.exec(result.failure ?? '')?.[0] ?? '?'})`,
  'harness-error': () => 'harness error',
  'no-baseline': () => 'no baseline',
};

/** `#3 seed 123 sigkill kills at 4.2 s, 17.9 s → identical (92.0 s)` */
export function scheduleLine(result: ScheduleResult): string {
  const { schedule } = result;
  const verb = schedule.kind === 'sigterm' ? 'SIGTERM at' : 'SIGKILL at';
  const kills = result.killDelaysMs
    .map((delay, index) => {
      const attempt = result.attempts[index];
      return attempt && !attempt.delivered
        ? `${seconds(delay)} (exited first, ${attempt.exit})`
        : seconds(delay);
    })
    .join(', ');
  const status = passedSchedule(result) ? 'ok' : 'FAIL';
  return `${status} #${schedule.index} seed ${schedule.seed} ${schedule.kind} ${verb} ${kills} → ${OUTCOME_TEXT[result.outcome](result)} (${seconds(result.durationMs)})`;
}

/** Differences shown per path in the text output; `--json` lists every one. */
export const SHOWN_PER_PATH = 10;

/**
 * Every difference, except that a path with more than SHOWN_PER_PATH (a list of exceptions, say) shows its first
 * ones and then how many more there are.
 * @example cappedDifferences(lines) // [..., '… 265 more at exceptions[transactions/2026-11-20/globex-pay] (--json lists every one)']
 */
export function cappedDifferences(differences: readonly string[]): string[] {
  const perPath = new Map<string, string[]>();
  for (const difference of differences) {
    const path = difference.slice(0, difference.indexOf(': '));
    perPath.set(path, [...(perPath.get(path) ?? []), difference]);
  }
  return [...perPath].flatMap(([path, lines]) =>
    lines.length <= SHOWN_PER_PATH
      ? lines
      : [
          ...lines.slice(0, SHOWN_PER_PATH),
          `… ${lines.length - SHOWN_PER_PATH} more at ${path} (--json lists every one)`,
        ],
  );
}

/** `    <prefix><first line>`, further lines indented below it. */
const block = (prefix: string, text: string) =>
  text
    .split('\n')
    .map((line, index) => (index === 0 ? `    ${prefix}${line}` : `      ${line}`))
    .join('\n');

/** The schedule line, then every difference, problem, failure tail and observation, indented. */
export function formatSchedule(result: ScheduleResult): string {
  const lines = [scheduleLine(result)];
  lines.push(...cappedDifferences(result.differences).map((line) => `    ${line}`));
  for (const problem of result.problems) lines.push(block('problem: ', problem));
  if (result.failure) lines.push(block('', result.failure));
  const observed = Object.entries(result.observations);
  if (observed.length > 0)
    lines.push(`    observed (not compared): ${observed.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (result.stateDir) lines.push(`    state kept: ${result.stateDir}`);
  return lines.join('\n');
}

export function formatBaseline(baseline: BaselineResult): string {
  const head = `baseline ${baseline.name}: ${seconds(baseline.durationMs)}, exit ${baseline.exitCode}`;
  const lines = [baseline.failure ? `${head} — FAILED` : head];
  if (baseline.failure) lines.push(block('', baseline.failure));
  for (const problem of baseline.problems) lines.push(block('problem: ', problem));
  if (baseline.stateDir) lines.push(`    state kept: ${baseline.stateDir}`);
  return lines.join('\n');
}

/** Counts per outcome and the wall time. */
export function formatSummary(result: CampaignResult): string {
  const counts = new Map<string, number>();
  for (const schedule of result.schedules) {
    const key = passedSchedule(schedule)
      ? 'identical'
      : schedule.outcome === 'identical'
        ? 'problems'
        : schedule.outcome;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  const failedBaselines = result.baselines.filter(
    (baseline) => baseline.failure || baseline.problems.length > 0,
  );
  return [
    `chaos summary (seed ${result.seed}): ${result.schedules.length} schedule(s): ${parts || 'none'}` +
      (failedBaselines.length > 0 ? `; ${failedBaselines.length} baseline(s) not clean` : '') +
      `; wall time ${wallTime(result.wallMs)}.`,
    result.passed
      ? 'PASS: every resumed run matched its uninterrupted baseline.'
      : 'FAIL: see the lines marked FAIL above.',
  ].join('\n');
}
