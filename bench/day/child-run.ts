import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type RssPeaks, sampleProcessTree } from './process-tree-rss.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What a bench child says to its parent over IPC. */
export type ChildMessage =
  | { readonly kind: 'measuring'; readonly on: boolean }
  | { readonly kind: 'result'; readonly result: unknown }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * A child's result, or why it has none (its own error message, else how it ended), with the peak RSS of its process
 * tree (whole run, and the phase it marked as measured): a run that fails still says how much memory it took.
 */
export type ChildOutcome<T> =
  | { readonly ok: true; readonly result: T; readonly rss: RssPeaks }
  | { readonly ok: false; readonly error: string; readonly rss: RssPeaks };

/**
 * Run one bench step in its own Node process (so its peak RSS is its own), sample its process tree every 200 ms,
 * and return the result it sends. Each step is a separate process so DuckDB, the emulators and V8 of one step never
 * inflate another's memory.
 * @example const outcome = await runChild<EndToEndResult>('bench/day/e2e/end-to-end.main.ts', [manifestPath])
 */
export function runChild<T>(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<ChildOutcome<T>> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
  });
  if (child.pid === undefined) return Promise.reject(new Error(`could not start ${script}`));
  const sampler = sampleProcessTree(child.pid);
  let result: { value: T } | undefined;
  let failure: string | undefined;
  child.on('message', (message: ChildMessage) => {
    if (message.kind === 'measuring') sampler.setMeasuring(message.on);
    else if (message.kind === 'failed') failure = message.error;
    else result = { value: message.result as T };
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', async (code, signal) => {
      const rss = await sampler.stop();
      if (result && code === 0) resolve({ ok: true, result: result.value, rss });
      else
        resolve({
          ok: false,
          error:
            failure ?? `${script} ${args.join(' ')} ended with ${signal ?? `exit ${code}`} and no result`,
          rss,
        });
    });
  });
}

/** In a child: tell the parent the measured phase starts or ends (no-op when run by hand without IPC). */
export function markMeasuring(on: boolean): void {
  process.send?.({ kind: 'measuring', on } satisfies ChildMessage);
}

/** In a child: hand the result to the parent and let the process end once the message is flushed. */
export function sendResult(result: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      console.log(JSON.stringify(result, null, 2));
      resolve();
      return;
    }
    process.send({ kind: 'result', result } satisfies ChildMessage, (error: Error | null) =>
      error ? reject(error) : resolve(),
    );
  });
}

/**
 * In a child: run `main`, hand its result to the parent, or its error (with the stack: the precise symptom is the
 * point of a failed run), then exit.
 */
export async function runAsChild(main: () => Promise<unknown>): Promise<never> {
  try {
    await sendResult(await main());
    process.exit(0);
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(text);
    await new Promise<void>((resolve) =>
      process.send
        ? process.send({ kind: 'failed', error: text } satisfies ChildMessage, () => resolve())
        : resolve(),
    );
    process.exit(1);
  }
}
