import { describe, expect, it } from 'vitest';
import { type FileState, SettleTracker } from './settle.ts';

const state = (sizeBytes: number, mtimeMs = 1_000, ctimeMs = mtimeMs): FileState => ({
  sizeBytes,
  mtimeMs,
  ctimeMs,
});
const poll = (tracker: SettleTracker, files: Record<string, FileState>) =>
  tracker.ready(new Map(Object.entries(files)));

describe('SettleTracker', () => {
  it('holds a new file back until two polls in a row see it unchanged', () => {
    // Prepare
    const tracker = new SettleTracker();

    // Act
    const first = poll(tracker, { a: state(10) });
    const second = poll(tracker, { a: state(10) });

    // Assess
    expect(first).toEqual([]);
    expect(second).toEqual(['a']);
  });

  it('never offers a file that is still growing', () => {
    // Prepare
    const tracker = new SettleTracker();

    // Act
    const polls = [10, 20, 30, 40].map((size, index) => poll(tracker, { a: state(size, 1_000 + index) }));

    // Assess
    expect(polls).toEqual([[], [], [], []]);
  });

  it('does not offer a handled file again while it stays the same', () => {
    // Prepare
    const tracker = new SettleTracker();
    poll(tracker, { a: state(10) });
    poll(tracker, { a: state(10) });
    tracker.handled('a', state(10));

    // Act
    const later = [poll(tracker, { a: state(10) }), poll(tracker, { a: state(10) })];

    // Assess
    expect(later).toEqual([[], []]);
  });

  it.each([
    ['its content is rewritten', state(12, 2_000)],
    ['it is touched', state(10, 2_000)],
    ['its permissions change (ctime only)', state(10, 1_000, 2_000)],
  ])('offers a handled file again once it settles after %s', (_change, changed) => {
    // Prepare
    const tracker = new SettleTracker();
    poll(tracker, { a: state(10) });
    poll(tracker, { a: state(10) });
    tracker.handled('a', state(10));

    // Act
    const onChange = poll(tracker, { a: changed });
    const settled = poll(tracker, { a: changed });

    // Assess
    expect(onChange).toEqual([]);
    expect(settled).toEqual(['a']);
  });

  it('forgets a file that disappears, so the same file dropped again is offered again', () => {
    // Prepare
    const tracker = new SettleTracker();
    poll(tracker, { a: state(10) });
    poll(tracker, { a: state(10) });
    tracker.handled('a', state(10));
    poll(tracker, {});

    // Act
    const back = [poll(tracker, { a: state(10) }), poll(tracker, { a: state(10) })];

    // Assess
    expect(back).toEqual([[], ['a']]);
  });

  it('offers settled files in path order, each on its own clock', () => {
    // Prepare
    const tracker = new SettleTracker();
    poll(tracker, { b: state(1), a: state(1) });

    // Act
    const ready = poll(tracker, { b: state(1), a: state(1), c: state(1) });

    // Assess
    expect(ready).toEqual(['a', 'b']);
  });
});
