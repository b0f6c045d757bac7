/**
 * A simulated wall clock for offline scenarios: from each `jumpTo`, real instants map to the given instant plus the
 * real time elapsed since. The runtime stamps S3 events with it (`RuntimeOptions.s3EventTime`), so a scenario can
 * deliver one partner's file before its cut-off and another's after, on any day it runs. Mapping by the real
 * upload instant (not the clock at publish time) keeps an upload's time right even when its event is published
 * after the next jump.
 * @example
 * const clock = new ScenarioClock();
 * const runtime = await startRuntime({ s3EventTime: clock.eventTime });
 * await clock.jumpTo(new Date('2026-11-20T04:00:00Z')); // uploads from now on land "at" 04:00Z
 */
export class ScenarioClock {
  private readonly segments: { realFromMs: number; simulatedFromMs: number }[] = [];

  /** Uploads from now on happen at `at` (plus elapsed real time). Real ms never straddle two segments. */
  async jumpTo(at: Date): Promise<void> {
    await nextMillisecond();
    this.segments.push({ realFromMs: Date.now(), simulatedFromMs: at.getTime() });
    await nextMillisecond();
  }

  /** The simulated instant of a real one (epoch ms); before the first jump, the real instant. */
  readonly eventTime = (realMs: number): number => {
    for (let index = this.segments.length - 1; index >= 0; index -= 1) {
      const segment = this.segments[index] as { realFromMs: number; simulatedFromMs: number };
      if (segment.realFromMs <= realMs) return segment.simulatedFromMs + (realMs - segment.realFromMs);
    }
    return realMs;
  };
}

const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));
