import { watchLines } from './log-lines.ts';

/** What the idle reporter needs from the runtime and the console. */
export interface IdleReportDeps {
  /** Resolve when the pipeline is idle; reject at the deadline (`runtime.waitForIdle`). */
  waitForIdle(timeoutMs: number): Promise<void>;
  /** Messages still queued or in flight, for the "still processing" line; undefined when unknown. */
  pendingMessages(): Promise<number | undefined>;
  /** The report text (`formatReport(await pipelineReport(runtime))`). */
  report(): Promise<string>;
  info(line: string): void;
  problem(line: string): void;
}

/**
 * Prints the report each time the pipeline goes idle after a landing, in the background, so the watcher keeps
 * picking up files meanwhile. A wait that times out is reported ("still processing N messages") and the wait goes
 * on; nothing here throws. Landings during a wait ask for one more report after it (their S3 events may arrive
 * after the wait last saw the queues empty), however many they are.
 */
export class IdleReporter {
  private pending = false;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: IdleReportDeps,
    private readonly timeoutMs: number,
  ) {}

  /** Ask for a report once the pipeline is idle again. */
  request(): void {
    if (this.stopped) return;
    this.pending = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** The current wait, if any (tests await it). */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Print nothing more; a wait in progress ends on its own deadline. */
  stop(): void {
    this.stopped = true;
  }

  private async loop(): Promise<void> {
    while (this.pending && !this.stopped) {
      this.pending = false;
      try {
        await this.deps.waitForIdle(this.timeoutMs);
      } catch {
        if (this.stopped) return;
        this.deps.info(watchLines.stillProcessing(await this.deps.pendingMessages().catch(() => undefined)));
        this.pending = true;
        continue;
      }
      if (this.stopped) return;
      try {
        this.deps.info(await this.deps.report());
      } catch (error) {
        this.deps.problem(watchLines.reportFailed(error instanceof Error ? error.message : String(error)));
      }
    }
  }
}
