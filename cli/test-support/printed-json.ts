import { vi } from 'vitest';

/**
 * Run a CLI command with `--json` and return its exit code and the JSON document it printed last (console.log is
 * silenced meanwhile).
 * @example const { code, output } = await printedJson(() => listDlqs(target, { json: true, progress }))
 */
export async function printedJson(
  run: () => Promise<number>,
): Promise<{ code: number; output: Record<string, unknown> }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const code = await run();
    return { code, output: JSON.parse(String(log.mock.calls.at(-1)?.[0])) as Record<string, unknown> };
  } finally {
    log.mockRestore();
  }
}
