import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE } from './usage.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run the CLI as a user does; resolve with its exit code and output. */
function finledger(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/finledger.ts', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('finledger <command> --help and usage errors', () => {
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
