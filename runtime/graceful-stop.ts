import type { Runtime } from './runtime.ts';

/** Exit status of a process stopped by a signal, as shells report it (128 + signal number). */
export const SIGNAL_EXIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = {
  SIGINT: 130,
  SIGTERM: 143,
};

/**
 * Install the stop every long-running command uses. First SIGINT/SIGTERM: stop taking work, let running
 * invocations finish, flush the outbox, stop the emulators, exit 130/143. A second signal exits at once;
 * the next start resumes from the state folder exactly as after a crash. Returns the uninstaller.
 */
export function stopGracefullyOnSignals(
  runtime: Pick<Runtime, 'stop'>,
  say: (line: string) => void = (line) => console.error(line),
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGTERM' ? SIGNAL_EXIT_CODES.SIGTERM : SIGNAL_EXIT_CODES.SIGINT;
    if (stopping) {
      say(`${signal} again: stopping at once. The next start resumes from the state folder.`);
      process.exit(code);
    }
    stopping = true;
    say(
      `${signal}: finishing running work, then stopping (signal again to stop at once; the next start resumes).`,
    );
    void runtime.stop().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
