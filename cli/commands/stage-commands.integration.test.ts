import { fileURLToPath } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AwsService, endpointVariable } from '../../lib/aws/client-config.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { configureTestEnvironment, landAndSettle, startTestPipeline } from '../../test/pipeline/support.ts';
import type { LineageReport } from '../lineage/trace.ts';
import { pipelineReport } from '../pipeline-state.ts';
import { exportQuarantine, runtimeQuarantineSources } from '../quarantine/export-quarantine.ts';
import { printedJson } from '../test-support/printed-json.ts';
import { quarantineCommand } from './quarantine.ts';
import { rerunCommand } from './rerun.ts';
import { runtimeCommand } from './runtime-commands.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const HEADER = 'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number';
const TX = (id: string) => `${id},payment,10.00,USD,2026-11-19T10:00:00Z,m-1,,`;

/**
 * `finledger dlq|replay --stage <stage>` as on-call runs it against a deployed stage: the CLI finds the stage's
 * resources in SSM and calls SQS and EventBridge with the usual credential chain. Here the "stage" is an offline
 * runtime, reached through `FINLEDGER_ENDPOINT_*` exactly as the SDK would reach AWS.
 */
describe('commands against a stage', () => {
  let runtime: Runtime;
  const saved = { ...process.env };

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline({ stage: 'oncall' });
    const bytes = new TextEncoder().encode(`${[HEADER, TX('s-1'), TX('s-2'), TX('s-1')].join('\n')}\n`);
    await landAndSettle(runtime, [
      { landingKey: 'inbound/globex-pay/transactions/2026-11-19/oncall.csv', bytes },
    ]);
    await runtime.waitForIdle();
    process.env.AWS_REGION = runtime.region;
    for (const [service, endpoint] of Object.entries(runtime.operatorEndpoints))
      process.env[endpointVariable(service as AwsService)] = endpoint;
  }, 120_000);

  it('reports the stage’s dates from its registry index and event log as the runtime reports itself', async () => {
    // Act
    const onStage = await printedJson(() =>
      runtimeCommand(
        'status',
        ['--stage', 'oncall', '--from', '2026-11-19', '--to', '2026-11-19', '--json'],
        root,
      ),
    );
    const offline = JSON.parse(JSON.stringify(await pipelineReport(runtime))) as Record<string, unknown>;

    // Assess: one file, its duplicate counted, and the same report as the runtime's own.
    expect(onStage.output).toEqual(offline);
    expect(JSON.stringify(onStage.output)).toContain('oncall.csv');
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await runtime?.stop();
  });

  it('lists the stage’s DLQs from its SSM document and exits 3 while one holds a message', async () => {
    // Prepare
    const dedup = runtime.resources.services.dedup ?? expect.fail('no dedup');
    await runtime.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: dedup.dlq.url, MessageBody: 'parked' }),
    );

    // Act
    const listed = await printedJson(() =>
      runtimeCommand('dlq', ['list', 'dedup', '--stage', 'oncall', '--json'], root),
    );

    // Assess
    expect(listed).toMatchObject({
      code: 3,
      output: {
        waiting: 1,
        queues: expect.arrayContaining([expect.objectContaining({ name: dedup.dlq.name })]),
      },
    });
  });

  it('predicts a replay of the stage’s archive window without starting one', async () => {
    const dryRun = await printedJson(() =>
      runtimeCommand(
        'replay',
        [
          '--stage',
          'oncall',
          '--from',
          '2026-11-19T00:00:00Z',
          '--to',
          '2026-11-20T00:00:00Z',
          '--dry-run',
          '--json',
        ],
        root,
      ),
    );
    expect(dryRun).toMatchObject({ code: 0, output: { dryRun: true, total: 0 } });
    expect((dryRun.output.rules as string[]).length).toBe(runtime.bus.rules.length);
  });

  it('traces a record on the stage: owner row, its in-file duplicate, no warning', async () => {
    // Act
    const traced = await printedJson(() =>
      runtimeCommand('lineage', ['transactions', 'globex-pay', 's-1', '--stage', 'oncall', '--json'], root),
    );

    // Assess: the owner is line 2 (after the header); line 4 repeats it.
    const report = traced.output as unknown as LineageReport;
    expect(traced.code).toBe(0);
    expect(report.status).toBe('unique');
    expect(report.raw?.fileName).toBe('oncall.csv');
    expect(report.silver?.lineage.rowNumber).toBe(2);
    expect(report.occurrences.map((occurrence) => [occurrence.outcome, occurrence.row.rowNumber])).toEqual([
      ['duplicate', 4],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('lists the files a rerun would reopen without changing the registry', async () => {
    // Prepare
    const before = JSON.stringify(await pipelineReport(runtime));

    // Act
    const preview = await printedJson(() =>
      rerunCommand(
        ['--stage', 'oncall', '--from', '2026-11-19', '--to', '2026-11-19', '--dry-run', '--json'],
        root,
      ),
    );

    // Assess
    expect(preview).toMatchObject({
      code: 0,
      output: {
        runId: null,
        wouldReopen: [expect.objectContaining({ fileName: 'oncall.csv', dataset: 'transactions' })],
        alreadyInRun: [],
        skipped: [],
      },
    });
    expect(JSON.stringify(await pipelineReport(runtime))).toBe(before);
  });

  it('reruns a date through the signed function URL, recording the signer, and reports the verdict', async () => {
    // Act
    const rerun = await printedJson(() =>
      rerunCommand(['--stage', 'oncall', '--from', '2026-11-19', '--to', '2026-11-19', '--json'], root),
    );

    // Assess: the run records who signed, every file is terminal again, the date has its verdict.
    expect(rerun).toMatchObject({
      code: 0,
      output: {
        summary: {
          reopened: 1,
          complete: true,
          run: { requestedBy: 'arn:aws:iam::000000000000:user/offline' },
        },
        progress: { done: true, members: 1 },
        verdicts: [expect.objectContaining({ dataset: 'transactions', businessDate: '2026-11-19' })],
      },
    });
  }, 120_000);

  it('refuses an unsigned call to the rerun URL before the function runs', async () => {
    const url = runtime.stageDocument.functions.rerun?.url ?? expect.fail('no rerun URL');
    const response = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ from: '2026-11-19', to: '2026-11-19' }),
    });
    expect(response.status).toBe(403);
  });

  it('lists a date’s quarantined rows from the stage’s registry and event log as the runtime lists them', async () => {
    // Prepare: a file of another date (the other tests read the 19th) with one bad amount among six rows.
    const rows = ['q-1', 'q-2', 'q-3', 'q-4', 'q-5']
      .map(TX)
      .map((row) => row.replace('2026-11-19', '2026-11-17'));
    const bytes = new TextEncoder().encode(
      `${[HEADER, ...rows, 'q-6,payment,ten,USD,2026-11-17T10:00:00Z,m-1,,'].join('\n')}\n`,
    );
    await landAndSettle(runtime, [
      { landingKey: 'inbound/globex-pay/transactions/2026-11-17/quarantine.csv', bytes },
    ]);
    let offline = '';
    await exportQuarantine(runtimeQuarantineSources(runtime), { date: '2026-11-17' }, 'json', (text) => {
      offline += text;
    });
    let onStage = '';
    const written = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      onStage += String(chunk);
      return true;
    });

    // Act
    let code: number;
    try {
      code = await quarantineCommand(['--stage', 'oncall', '--date', '2026-11-17', '--json'], root);
    } finally {
      written.mockRestore();
    }

    // Assess: the one bad row, and exactly what the runtime's own sources give.
    expect(code).toBe(0);
    const listed = JSON.parse(onStage) as { rowId: string; field: string }[];
    expect(listed).toMatchObject([{ rowId: 'q-6', field: 'amount' }]);
    expect(onStage).toBe(offline);
  }, 120_000);

  it('refuses quarantine --stage without a date or file, which would scan the registry', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await quarantineCommand(['--stage', 'oncall', '--json'], root)).toBe(2);
      expect(String(error.mock.calls[0]?.[0])).toContain('needs --date YYYY-MM-DD or --file FILE_ID');
    } finally {
      error.mockRestore();
    }
  });

  it('names the stage, region and next step when the stage does not exist', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await runtimeCommand('dlq', ['list', '--stage', 'nosuchstage'], root);
      expect(code).toBe(1);
      expect(String(error.mock.calls[0]?.[0])).toMatch(
        /No finledger stage "nosuchstage" in us-east-1: SSM parameter \/finledger\/nosuchstage\/resources does not exist.*sst deploy --stage nosuchstage/,
      );
    } finally {
      error.mockRestore();
    }
  });
});
