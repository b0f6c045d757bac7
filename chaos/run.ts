/**
 * `npm run chaos -- [--schedules N] [--first N] [--seed S] [--only KIND[,KIND]] [--schedule-seed N]
 * [--max-kills N] [--timeout-seconds N] [--keep] [--json]`: a crash campaign. Runs the main job (and, per kind, the command after it)
 * once uninterrupted as a baseline, then each seeded schedule on a fresh state folder: interrupted as drawn
 * (SIGKILL of the process group, SIGTERM of the main pid), resumed to completion, and compared field by field with
 * its baseline (`chaos/canonical-report.ts`). Exit 0 only when every schedule matched, 1 otherwise, 2 on bad flags.
 */
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign.ts';
import { formatBaseline, formatSchedule, formatSummary } from './format-result.ts';
import {
  DEFAULT_SEED,
  isScheduleKind,
  MAX_KILLS,
  planSchedules,
  SCHEDULE_KINDS,
  type ScheduleKind,
  scheduleFor,
} from './schedules.ts';

const USAGE = `Usage: npm run chaos -- [--schedules N] [--first N] [--seed S] [--only KIND[,KIND…]]
                        [--schedule-seed N] [--max-kills N] [--timeout-seconds N] [--keep] [--json]
  kinds: ${SCHEDULE_KINDS.join(', ')}
  --first N           start at schedule N of the seed's plan (split a long campaign over sittings)
  --schedule-seed N   reproduce single schedules: the kill points a result line printed for that seed
                      (one schedule per --only kind)`;

const OPTIONS = {
  schedules: { type: 'string', default: '10' },
  first: { type: 'string', default: '0' },
  seed: { type: 'string', default: String(DEFAULT_SEED) },
  only: { type: 'string' },
  'schedule-seed': { type: 'string' },
  'max-kills': { type: 'string', default: String(MAX_KILLS) },
  'timeout-seconds': { type: 'string', default: '240' },
  keep: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const wholeNumber = (text: string | undefined, flag: string): number => {
  if (text === undefined || !/^\d+$/.test(text))
    throw new Error(`${flag} must be a whole number, got "${text}"`);
  return Number(text);
};

async function main(argv: string[]): Promise<number> {
  let flags: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  let kinds: ScheduleKind[];
  let seed: number;
  let count: number;
  let first: number;
  let maxKills: number;
  let timeoutSeconds: number;
  let scheduleSeed: number | undefined;
  try {
    flags = parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    const only = flags.only?.split(',').map((kind) => kind.trim()) ?? [...SCHEDULE_KINDS];
    const unknown = only.filter((kind) => !isScheduleKind(kind));
    if (unknown.length > 0) throw new Error(`unknown kind(s) ${unknown.join(', ')}`);
    kinds = only as ScheduleKind[];
    seed = wholeNumber(flags.seed, '--seed');
    count = wholeNumber(flags.schedules, '--schedules');
    first = wholeNumber(flags.first, '--first');
    maxKills = wholeNumber(flags['max-kills'], '--max-kills');
    timeoutSeconds = wholeNumber(flags['timeout-seconds'], '--timeout-seconds');
    scheduleSeed =
      flags['schedule-seed'] === undefined
        ? undefined
        : wholeNumber(flags['schedule-seed'], '--schedule-seed');
  } catch (error) {
    console.error(`chaos: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const schedules =
    scheduleSeed === undefined
      ? planSchedules({ seed, count, kinds, maxKills, first })
      : kinds.map((kind, index) => scheduleFor(kind, scheduleSeed, index, maxKills));
  // With --json, stdout holds the result document only; progress goes to stderr.
  const progress = (line: string) => (flags.json ? console.error(line) : console.log(line));
  progress(
    `chaos: seed ${seed}, ${schedules.length} schedule(s) of ${[...new Set(schedules.map((item) => item.kind))].join(', ')}, ` +
      `command timeout ${timeoutSeconds} s${scheduleSeed === undefined ? '' : `, schedule seed ${scheduleSeed}`}`,
  );
  const result = await runCampaign({
    seed,
    schedules,
    timeoutSeconds,
    keep: flags.keep,
    onProgress: progress,
    onSchedule: (schedule) => progress(formatSchedule(schedule)),
  });
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  else {
    for (const baseline of result.baselines.filter((item) => item.failure || item.problems.length > 0))
      console.log(formatBaseline(baseline));
    console.log(formatSummary(result));
  }
  return result.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
