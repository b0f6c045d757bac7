import { consoleLogger, describeError, type RuntimeLogger } from './logger.ts';

/** A scheduled worker loop (the outbox relay, the watchdog). */
export interface Loop {
  readonly name: string;
  /** Run one iteration now, after any iteration in progress; resolves when it is done. */
  runNow(): Promise<void>;
  /** Ask for one iteration soon; several kicks before it starts make one iteration. */
  kick(): void;
  /** Whether an iteration is running or queued. */
  busy(): boolean;
  /** Completed iterations, failed ones included. */
  iterations(): number;
  /** Stop scheduling and wait for the iteration in flight. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Run `fn` every `intervalMs` (measured from the end of one iteration to the start of the next, so
 * iterations never overlap). Errors are logged and the loop goes on.
 * @example const relay = startLoop('outbox-relay', 1000, () => relayOnce());
 */
export function startLoop(
  name: string,
  intervalMs: number,
  fn: () => Promise<void>,
  options: { logger?: RuntimeLogger; runImmediately?: boolean } = {},
): Loop {
  const logger = options.logger ?? consoleLogger;
  let stopped = false;
  let pending = 0;
  let completed = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  // A kick waits for the next iteration to start; any iteration that starts after it serves it.
  let kickQueued = false;

  const iterate = async () => {
    kickQueued = false;
    try {
      if (!stopped) await fn();
    } catch (error) {
      logger.error('worker iteration failed; it runs again at the next interval', {
        worker: name,
        ...describeError(error),
      });
    } finally {
      completed++;
      pending--;
    }
  };

  const runNow = (): Promise<void> => {
    if (stopped) return chain;
    pending++;
    chain = chain.then(iterate);
    return chain;
  };

  const kick = () => {
    if (stopped || kickQueued) return;
    kickQueued = true;
    void runNow();
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow().then(() => schedule(intervalMs));
    }, delay);
  };
  schedule(options.runImmediately === false ? intervalMs : 0);

  let stopping: Promise<void> | undefined;
  return {
    name,
    runNow,
    kick,
    busy: () => pending > 0,
    iterations: () => completed,
    stop() {
      stopped = true;
      clearTimeout(timer);
      stopping ??= chain;
      return stopping;
    },
  };
}
