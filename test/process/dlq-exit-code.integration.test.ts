import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_EXIT_CODE } from '../../cli/attention.ts';
import type { PipelineReport } from '../../cli/report.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { killIfRunning, spawnTs, type TsProcess } from './support/processes.ts';

/** Park one message in dedup's DLQ of the state folder, as a message that failed every retry would be. */
async function parkInDedupDlq(stateDir: string): Promise<void> {
  const runtime = await startRuntime({
    stateDir,
    handlers: {},
    workers: {},
    s3Notifications: false,
    logger: silentLogger,
  });
  try {
    const dlq = runtime.resources.services.dedup?.dlq.url ?? expect.fail('the topology has no dedup DLQ');
    await runtime.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify({ parked: 'by the test' }) }),
    );
  } finally {
    await runtime.stop();
  }
}

describe('a day with a message in a DLQ is never reported complete', () => {
  let stateDir: string;
  let running: TsProcess | undefined;
  let start: { code: number | null; stdout: string; stderr: string };
  let status: { code: number | null; stdout: string; stderr: string };

  const run = async (args: string[]) => {
    const cli = spawnTs('cli/finledger.ts', args);
    running = cli;
    const { code } = await cli.exited;
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-dlq-exit-'));
    await parkInDedupDlq(stateDir);
    start = await run(['run', '--state-dir', stateDir, '--json', '--timeout-seconds', '90']);
    status = await run(['status', '--state-dir', stateDir]);
  }, 180_000);

  afterAll(async () => {
    await killIfRunning(running);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('npm start processes the day, then exits 3 with the DLQ as the report’s first item', () => {
    expect(start.code, start.stderr).toBe(ATTENTION_EXIT_CODE);
    const report = JSON.parse(start.stdout) as PipelineReport;
    expect(report.totals.open).toBe(0);
    expect(report.attention).toEqual([
      expect.objectContaining({
        kind: 'DLQ_MESSAGES',
        scope: 'dedup DLQ',
        next: expect.stringContaining('dlq redrive dedup'),
      }),
    ]);
  });

  it('finledger status says INCOMPLETE before anything else, with the recovery command, and exits 3', () => {
    expect(status.code, status.stderr).toBe(ATTENTION_EXIT_CODE);
    const [first, item, next] = status.stdout.split('\n');
    expect(first).toMatch(/^INCOMPLETE: 1 item/);
    expect(item).toMatch(/DLQ_MESSAGES dedup DLQ: 1 message/);
    expect(next).toMatch(/next: npm run finledger -- dlq show dedup .* dlq redrive dedup/);
  });
});
