const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** UTC offset of a zone at an instant, in minutes (e.g. Europe/Berlin in November → 60). */
export function offsetMinutes(timeZone: string, instant: Date): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * A wall-clock time on a business date in the partner's zone, as ISO 8601 with that zone's offset.
 * @example zonedTimestamp('2026-11-19', 3600 * 14 + 5, 'Asia/Tokyo') // '2026-11-19T14:00:05+09:00'
 */
export function zonedTimestamp(date: string, secondOfDay: number, timeZone: string): string {
  const hour = Math.floor(secondOfDay / 3600);
  const cacheKey = `${timeZone}|${date}|${hour}`;
  let offset = offsets.get(cacheKey);
  if (offset === undefined) {
    const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3600_000;
    const guess = offsetMinutes(timeZone, new Date(wall));
    offset = offsetMinutes(timeZone, new Date(wall - guess * 60_000));
    offsets.set(cacheKey, offset);
  }
  const wallClock = new Date(Date.parse(`${date}T00:00:00Z`) + secondOfDay * 1000).toISOString().slice(0, 19);
  return `${wallClock}${formatOffset(offset)}`;
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}
