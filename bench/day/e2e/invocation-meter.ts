import { asActor, currentFrame } from './actor-context.ts';

/** Invocations of one function (a service, or a worker loop) and their summed duration, for Lambda's bill. */
export interface InvocationTally {
  readonly actor: string;
  readonly memoryMb: number;
  invocations: number;
  seconds: number;
  /** Worker loops only: iterations that published something (the others found no work). */
  working: number;
  workingSeconds: number;
}

/**
 * Times each handler invocation and worker iteration as `actor` (so its SDK calls are attributed to it). Offline, all
 * of them share one process and two cores: a duration here includes waiting for the CPU, so Lambda's GB-seconds
 * derived from it are an upper bound, not a measurement of Lambda.
 */
export class InvocationMeter {
  private readonly tallies = new Map<string, InvocationTally>();
  private counting = false;

  start(): void {
    this.counting = true;
  }

  stop(): void {
    this.counting = false;
  }

  results(): InvocationTally[] {
    return [...this.tallies.values()];
  }

  /** Run one invocation of `actor` (configured with `memoryMb`) and record it while counting. */
  async run<T>(actor: string, memoryMb: number, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let published = false;
    try {
      return await asActor(actor, async () => {
        try {
          return await work();
        } finally {
          published = currentFrame()?.published ?? false;
        }
      });
    } finally {
      if (this.counting) {
        const seconds = (performance.now() - started) / 1000;
        const tally = this.tally(actor, memoryMb);
        tally.invocations += 1;
        tally.seconds += seconds;
        if (published) {
          tally.working += 1;
          tally.workingSeconds += seconds;
        }
      }
    }
  }

  private tally(actor: string, memoryMb: number): InvocationTally {
    let tally = this.tallies.get(actor);
    if (!tally) {
      tally = { actor, memoryMb, invocations: 0, seconds: 0, working: 0, workingSeconds: 0 };
      this.tallies.set(actor, tally);
    }
    return tally;
  }
}
