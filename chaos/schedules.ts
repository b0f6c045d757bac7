import { createRandom, seedFor } from '../test/sample-data/prng.ts';

/**
 * What a schedule interrupts, and how:
 * - `sigkill`: `run` SIGKILLed (whole process group) one to three times, then `run` again to completion.
 * - `sigterm`: `run` sent SIGTERM (main pid only, as a process manager stops it), then `run` again.
 * - `kill-during-redelivery`: after a complete `run`, a second `run` (every file delivered again) SIGKILLed, then
 *   `run` again.
 * - `kill-during-replay`: after a complete `run`, `replay` SIGKILLed, then `replay` again.
 * - `kill-during-rerun`: after a complete `run`, `rerun` SIGKILLed, then resumed with its run id.
 */
export const SCHEDULE_KINDS = [
  'sigkill',
  'sigterm',
  'kill-during-redelivery',
  'kill-during-replay',
  'kill-during-rerun',
] as const;

export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** One seeded schedule: when to interrupt, as fractions of the interrupted command's measured baseline duration. */
export interface Schedule {
  /** Position in the campaign (0-based). */
  readonly index: number;
  readonly kind: ScheduleKind;
  /** Reproduces this schedule alone: `npm run chaos -- --only <kind> --schedule-seed <seed>`. */
  readonly seed: number;
  /** One per interruption, each in [0, 1): the delay after spawn is this fraction of the baseline duration. */
  readonly killFractions: readonly number[];
}

/** The default campaign seed: fixed, so `npm run chaos` draws the same kill points every time. */
export const DEFAULT_SEED = 20261210;

/** At most this many SIGKILLs in one `sigkill` schedule. */
export const MAX_KILLS = 3;

export const isScheduleKind = (text: string): text is ScheduleKind =>
  (SCHEDULE_KINDS as readonly string[]).includes(text);

/**
 * The schedule of one kind drawn from one seed (pure: the same kind and seed give the same kill points).
 * @example scheduleFor('sigkill', 1234) // { kind: 'sigkill', seed: 1234, killFractions: [0.41, 0.87], index: 0 }
 */
export function scheduleFor(kind: ScheduleKind, seed: number, index = 0, maxKills = MAX_KILLS): Schedule {
  const random = createRandom(seedFor(seed, kind));
  const kills = kind === 'sigkill' ? random.int(1, Math.max(1, Math.min(MAX_KILLS, maxKills))) : 1;
  const killFractions = Array.from({ length: kills }, () => random.next());
  return { index, kind, seed, killFractions };
}

/**
 * `count` schedules from a campaign seed, the kinds taken in turn so a handful covers each of them. `first` skips
 * that many: a long campaign split over several sittings (`--first 100 --schedules 100` after `--schedules 100`)
 * runs exactly the schedules one sitting would.
 * @example planSchedules({ seed: 20261210, count: 10, kinds: SCHEDULE_KINDS })
 */
export function planSchedules(options: {
  readonly seed: number;
  readonly count: number;
  readonly kinds: readonly ScheduleKind[];
  readonly maxKills?: number;
  readonly first?: number;
}): Schedule[] {
  if (options.kinds.length === 0) throw new Error('planSchedules needs at least one kind');
  const first = options.first ?? 0;
  return Array.from({ length: options.count }, (_, offset) => {
    const index = first + offset;
    const kind = options.kinds[index % options.kinds.length] as ScheduleKind;
    return scheduleFor(kind, seedFor(options.seed, `schedule#${index}`), index, options.maxKills);
  });
}

/**
 * Kill delays in ms for a schedule, given the measured duration of the uninterrupted command.
 * @example killDelaysMs(schedule, 33_000) // [13530, 28710]
 */
export function killDelaysMs(schedule: Schedule, baselineMs: number): number[] {
  return schedule.killFractions.map((fraction) => Math.round(fraction * baselineMs));
}
