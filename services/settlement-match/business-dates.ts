import type { MatchingRules } from '../../config/matching-rules.ts';

const DAY_MS = 86_400_000;
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Inclusive range of business dates one matching run reads. */
export interface MatchingWindow {
  readonly from: string;
  readonly to: string;
}

/** Days since 1970-01-01 of a plain date; throws on anything but a real YYYY-MM-DD (a caller bug). */
export function epochDay(date: string): number {
  const match = PLAIN_DATE.exec(date);
  const [, year, month, day] = match ?? [];
  const time = Date.UTC(Number(year), Number(month) - 1, Number(day));
  if (!match || formatEpochDay(time / DAY_MS) !== date)
    throw new RangeError(`${date} is not a plain YYYY-MM-DD date`);
  return time / DAY_MS;
}

function formatEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Plain-date arithmetic in whole calendar days; business dates carry no zone, so no DST can shift them.
 * @example addDays('2026-03-01', -1) // '2026-02-28'
 */
export function addDays(date: string, days: number): string {
  return formatEpochDay(epochDay(date) + days);
}

/**
 * Whole days from `from` to `to` (negative when `to` is earlier).
 * @example daysBetween('2026-11-20', '2026-11-23') // 3
 */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/**
 * The business dates a run as of `asOf` matches over: asOf − windowDays … asOf, both inclusive. Re-running
 * over the same window after a late file arrives is what re-opens and matches earlier open items.
 * @example matchingWindow('2026-11-23', { windowDays: 7 }) // { from: '2026-11-16', to: '2026-11-23' }
 */
export function matchingWindow(asOf: string, rules: Pick<MatchingRules, 'windowDays'>): MatchingWindow {
  return { from: addDays(asOf, -rules.windowDays), to: addDays(asOf, 0) };
}

/**
 * Age of an open item as of a run: whole days since its business date, aged past `settlementWaitDays`, and
 * `leavesWindow` on the last run whose window still reads it.
 * @example openItemAge('2026-11-17', '2026-11-20', { settlementWaitDays: 2, windowDays: 3 }) // { ageDays: 3, aged: true, leavesWindow: true }
 */
export function openItemAge(
  businessDate: string,
  asOf: string,
  rules: Pick<MatchingRules, 'settlementWaitDays' | 'windowDays'>,
): { ageDays: number; aged: boolean; leavesWindow: boolean } {
  const ageDays = daysBetween(businessDate, asOf);
  return { ageDays, aged: ageDays > rules.settlementWaitDays, leavesWindow: ageDays >= rules.windowDays };
}
