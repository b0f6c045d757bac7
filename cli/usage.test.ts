import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from './run-command.ts';
import { COMMAND_USAGE } from './usage.ts';

/** Run a command line in this process; resolve with its exit code and what it printed. */
async function finledger(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  const code = await runCommand(args);
  const printed = (spy: typeof log) => spy.mock.calls.map((call) => String(call[0])).join('\n');
  return { code, stdout: printed(log), stderr: printed(error) };
}

describe('finledger <command> --help and usage errors', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(Object.keys(COMMAND_USAGE))('%s --help prints its usage and exits 0', async (command) => {
    const { code, stdout } = await finledger([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`finledger ${command}`);
    expect(stdout).toMatch(/\n {2}\S/);
  });

  it.each([
    ['dlq', 'list', '--bogus'],
    ['replay', '--form', '2026-11-19T00:00:00Z'],
    ['rerun', '--nope'],
  ])(
    '%s with an unknown flag names it, prints the usage and exits 2, without a stack trace',
    async (...args) => {
      const { code, stderr } = await finledger(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/Unknown option '--\w+'/);
      expect(stderr).toContain(`finledger ${args[0]}`);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );
});
