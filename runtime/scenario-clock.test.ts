import { describe, expect, it } from 'vitest';
import { ScenarioClock } from './scenario-clock.ts';

describe('ScenarioClock', () => {
  it('keeps real time before the first jump', () => {
    // Prepare
    const clock = new ScenarioClock();

    // Act / Assess
    expect(clock.eventTime(1_000)).toBe(1_000);
  });

  it('maps each real instant through the segment it fell in, even after later jumps', async () => {
    // Prepare
    const clock = new ScenarioClock();
    await clock.jumpTo(new Date('2026-11-20T04:00:00Z'));
    const inFirst = Date.now();
    await clock.jumpTo(new Date('2026-11-21T09:30:00Z'));
    const inSecond = Date.now();

    // Act
    const first = new Date(clock.eventTime(inFirst)).toISOString();
    const second = new Date(clock.eventTime(inSecond)).toISOString();

    // Assess
    expect(first.slice(0, 16)).toBe('2026-11-20T04:00');
    expect(second.slice(0, 16)).toBe('2026-11-21T09:30');
  });
});
