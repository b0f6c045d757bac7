import type { CutOff } from '../../config/ready-gates.ts';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +7,200,000). */
export function offsetAt(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (instantMs - (instantMs % 1000));
}

/**
 * The instant a wall-clock date and time happens in an IANA zone, resolved as Temporal's `compatible` does: a
 * time skipped by a spring-forward gap moves forward by the gap; a time repeated by a fall-back overlap is the
 * earlier instant. Assumes at most one offset change within a day either side, which every IANA zone meets.
 * @see https://tc39.es/proposal-temporal/docs/zoneddatetime.html#ambiguity-and-time-zones
 * @example zonedWallTimeToInstant('2026-03-29', '02:30', 'Europe/Berlin') // 2026-03-29T01:30:00.000Z (03:30 CEST)
 */
export function zonedWallTimeToInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(wall)) throw new Error(`Not a plain date and HH:MM time: ${date} ${time}`);
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
    .sort((a, b) => a - b);
  // No candidate: the wall time is in a gap; the offset before the gap carries it forward by the gap's length.
  return new Date(candidates[0] ?? wall - before);
}

/** The plain date `days` after a plain date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of a plain date, 0 = Sunday (no zone involved: a business date is already local). */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/**
 * The instant a partner's file for a business date is due.
 * @example cutoffInstant('2026-11-20', { daysAfter: 1, localTime: '06:00' }, 'Europe/Berlin') // 2026-11-21T05:00:00Z
 */
export function cutoffInstant(businessDate: string, cutoff: CutOff, timeZone: string): Date {
  return zonedWallTimeToInstant(addDays(businessDate, cutoff.daysAfter), cutoff.localTime, timeZone);
}
