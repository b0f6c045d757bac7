import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_EXIT_CODE } from '../../cli/attention.ts';
import type { PipelineReport } from '../../cli/report.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { countByType, readArchiveFromDisk } from './support/archive.ts';
import {
  isRunning,
  killIfRunning,
  type ProcessInfo,
  processesMentioning,
  spawnTs,
  type TsProcess,
  trackDescendants,
  waitUntilEmpty,
} from './support/processes.ts';

/** What one `finledger run --json` left behind. */
interface RunResult {
  readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  readonly stdout: string;
  readonly stderr: string;
  readonly report: PipelineReport | undefined;
  readonly descendants: readonly ProcessInfo[];
  /** Processes naming the state folder right after exit (DynamoDB Local's java has `-dbPath <stateDir>/…`). */
  readonly namingStateDir: readonly ProcessInfo[];
  /** Descendants still alive once a short grace has passed (DynamoDB Local's sh watchdog sleeps 1 s at a time). */
  readonly survivors: readonly ProcessInfo[];
  readonly archive: Record<string, number>;
}

function parseReport(stdout: string): PipelineReport | undefined {
  try {
    return JSON.parse(stdout) as PipelineReport;
  } catch {
    return undefined;
  }
}

/** The parsed report, or a failure that shows what stdout held instead. */
function reportOf(result: RunResult): PipelineReport {
  if (!result.report) throw new Error(`stdout is not JSON:\n${result.stdout.slice(0, 500)}`);
  return result.report;
}

const describeProcesses = (list: readonly ProcessInfo[]) => list.map((info) => `${info.pid} ${info.command}`);

/** `npm start -- --state-dir DIR --json`: the same `tsx cli/finledger.ts run` the start script runs. */
async function runMainJob(stateDir: string, track: (cli: TsProcess) => void): Promise<RunResult> {
  const cli = spawnTs('cli/finledger.ts', [
    'run',
    '--state-dir',
    stateDir,
    '--json',
    '--timeout-seconds',
    // The first run takes ~20 s idle and ~40 s at load 3.5 on 2 cores: room for a CI machine under load.
    '150',
  ]);
  track(cli);
  const tracker = trackDescendants(cli.pid);
  const exit = await cli.exited;
  const descendants = tracker.stop();
  const namingStateDir = processesMentioning(stateDir);
  const survivors = await waitUntilEmpty(() => descendants.filter(isRunning), 3_000);
  return {
    exit,
    stdout: cli.stdout(),
    stderr: cli.stderr(),
    report: parseReport(cli.stdout()),
    descendants,
    namingStateDir,
    survivors,
    archive: countByType(await readArchiveFromDisk(stateDir)),
  };
}

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

/** One CLI command to its exit, with what it printed. */
async function runCli(args: string[], track: (cli: TsProcess) => void) {
  const cli = spawnTs('cli/finledger.ts', args);
  track(cli);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** The second run's state folder holds one message in dedup's DLQ: the day must not be reported complete. */
describe('npm start on a state folder, then again with a message in a DLQ', () => {
  let stateDir: string;
  let running: TsProcess | undefined;
  let first: RunResult;
  let second: RunResult;
  let status: { code: number | null; stdout: string; stderr: string };
  const track = (cli: TsProcess) => {
    running = cli;
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-start-'));
    first = await runMainJob(stateDir, track);
    await parkInDedupDlq(stateDir);
    second = await runMainJob(stateDir, track);
    status = await runCli(['status', '--state-dir', stateDir], track);
  }, 420_000);

  afterAll(async () => {
    await killIfRunning(running);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it.each([
    ['first', () => first, []],
    ['second', () => second, ['DLQ_MESSAGES dedup DLQ']],
  ])(
    'ends the %s run with every file closed and conserved, and exactly the attention items due',
    (_run, result, due) => {
      const report = reportOf(result());
      expect(report.attention.map((item) => `${item.kind} ${item.scope}`)).toEqual(due);
      expect(report.totals.open).toBe(0);
      expect(report.totals.validated).toBeGreaterThan(0);
      expect(report.totals.rejected).toBeGreaterThan(0);
      for (const file of report.files) {
        expect(file.stage, file.fileName).not.toBe('LANDED');
        expect(file.conserved, file.fileName).not.toBe(false);
        if (file.stage !== 'REJECTED') {
          expect(file.conserved, file.fileName).toBe(true);
          expect(file.rowsIn, file.fileName).toBe((file.valid ?? 0) + (file.quarantined ?? 0));
        }
      }
      expect(report.totals.rowsIn).toBe(report.totals.valid + report.totals.quarantined);
    },
  );

  it('exits 0 on the first run', () => {
    expect(first.exit, first.stderr).toEqual({ code: 0, signal: null });
  });

  it('exits 3 on the second run, the DLQ the report’s first item with its recovery command', () => {
    expect(second.exit, second.stderr).toEqual({ code: ATTENTION_EXIT_CODE, signal: null });
    expect(reportOf(second).attention[0]).toMatchObject({
      kind: 'DLQ_MESSAGES',
      scope: 'dedup DLQ',
      next: expect.stringContaining('dlq redrive dedup'),
    });
  });

  it('finledger status says INCOMPLETE before anything else, with the recovery command, and exits 3', () => {
    expect(status.code, status.stderr).toBe(ATTENTION_EXIT_CODE);
    const [headline, item, next] = status.stdout.split('\n');
    expect(headline).toMatch(/^INCOMPLETE: 1 item/);
    expect(item).toMatch(/DLQ_MESSAGES dedup DLQ: 1 message/);
    expect(next).toMatch(/next: npm run finledger -- dlq show dedup .* dlq redrive dedup/);
  });

  it.each([
    ['first', () => first],
    ['second', () => second],
  ])('leaves no process behind after the %s run', (_run, result) => {
    const { descendants, namingStateDir, survivors } = result();
    // The run did start DynamoDB Local under the state folder, so the checks below look at real children.
    expect(descendants.some((info) => info.command.includes(join(stateDir, 'dynamodb')))).toBe(true);
    expect(describeProcesses(namingStateDir)).toEqual([]);
    expect(describeProcesses(survivors)).toEqual([]);
  });

  it('leaves no clear card number outside restricted/, by the real pan-scan command', async () => {
    // Act
    const scan = spawnTs('cli/finledger.ts', ['pan-scan', '--state-dir', stateDir]);
    running = scan;
    const exit = await scan.exited;

    // Assess: exit 1 lists each finding, masked, on stdout.
    expect(exit, `${scan.stdout()}\n${scan.stderr()}`).toEqual({ code: 0, signal: null });
    expect(scan.stdout()).toMatch(/^pan-scan: no clear card number outside restricted\//);
    expect(scan.stdout()).not.toMatch(/4111111111111111|5555555555554444|378282246310005/);
  }, 90_000);

  it('does not reprocess the files the first run closed', () => {
    expect(first.archive.FileValidated).toBeGreaterThan(0);
    expect(first.archive.FileRejected).toBeGreaterThan(0);
    for (const type of ['FileLanded', 'FileValidated', 'FileRejected']) {
      expect(second.archive[type] ?? 0, type).toBe(first.archive[type] ?? 0);
    }
    // The second run did deliver every object again.
    expect(second.archive['Object Created']).toBe(2 * (first.archive['Object Created'] ?? 0));
  });

  it('counts the second delivery of every file as a redelivery and keeps its outcome', () => {
    const before = new Map(reportOf(first).files.map((file) => [file.fileId, file]));
    const after = reportOf(second).files;
    expect(after.map((file) => file.fileId).sort()).toEqual([...before.keys()].sort());
    for (const file of after) {
      const earlier = before.get(file.fileId);
      if (!earlier) throw new Error(`${file.fileName} appeared only on the second run`);
      expect(file.redeliveries, file.fileName).toBeGreaterThan(earlier.redeliveries);
      expect(
        { stage: file.stage, rowsIn: file.rowsIn, valid: file.valid, quarantined: file.quarantined },
        file.fileName,
      ).toEqual({
        stage: earlier.stage,
        rowsIn: earlier.rowsIn,
        valid: earlier.valid,
        quarantined: earlier.quarantined,
      });
    }
  });
});
