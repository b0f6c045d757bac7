import { shuffleInPlace } from '../lib/random/shuffle.ts';
import type { EventPattern } from '../topology/event-patterns.ts';
import type { BusEvent } from './bus-events.ts';
import { matchesPattern } from './bus-rules.ts';

/** Which archived events a replay sends, and in what order. */
export interface ReplaySelection {
  /** Events whose `time` is in [from, to] at EventBridge's one-second precision are replayed. */
  readonly from: Date;
  readonly to: Date;
  readonly filter?: EventPattern | ((event: BusEvent) => boolean);
  /**
   * AWS does not replay in the original order; 'shuffled' (default) keeps consumers honest about that. 'by-minute'
   * is what AWS does: minute by minute of event time, in no order within a minute (StartReplay uses it).
   */
  readonly order?: 'shuffled' | 'by-minute' | 'archived';
}

/**
 * The archived events a replay sends, in the order it sends them: those in the window (widened to whole seconds, as
 * event times are) that pass the filter; shuffled, or by minute of event time as AWS replays, or in archive order.
 */
export function selectForReplay(events: BusEvent[], options: ReplaySelection): BusEvent[] {
  // Event times carry whole seconds, so the window is widened to whole seconds too.
  const from = Math.floor(options.from.getTime() / 1000) * 1000;
  const to = Math.ceil(options.to.getTime() / 1000) * 1000;
  const { filter } = options;
  const selected = events.filter((event) => {
    const time = Date.parse(event.time);
    if (time < from || time > to) return false;
    if (!filter) return true;
    return typeof filter === 'function' ? filter(event) : matchesPattern(filter, event);
  });
  if (options.order === 'archived') return selected;
  shuffleInPlace(selected, (max) => Math.floor(Math.random() * (max + 1)));
  if (options.order !== 'by-minute') return selected;
  const minute = (event: BusEvent) => Math.floor(Date.parse(event.time) / 60_000);
  // Array#sort is stable: the shuffled order stays within each minute.
  return selected.sort((a, b) => minute(a) - minute(b));
}

/** Refuse a replay name EventBridge would refuse. */
export function assertReplayName(name: string): void {
  if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) {
    throw new Error(`Replay name "${name}" is invalid: use 1-64 characters from [.-_A-Za-z0-9].`);
  }
}
