import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AwsService, endpointVariable } from '../../lib/aws/client-config.ts';
import type { StageDocument } from '../../lib/stage-resources/stage-document.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { topology } from '../../topology/topology.ts';
import { printJson, printText } from '../output.ts';
import { pipelineReport, reportFrom, waitForTerminalFiles } from '../pipeline-state.ts';
import { formatReport, type PipelineReport, reportExitCode } from '../report.ts';
import type { OperatorClients } from '../stage-targets.ts';

const OPTIONS = {
  'state-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  type: { type: 'string' },
  source: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  stage: { type: 'string' },
  kind: { type: 'string' },
  'group-by': { type: 'string' },
  max: { type: 'string' },
  error: { type: 'string' },
  rate: { type: 'string' },
  'timeout-seconds': { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Offline defaults set before any handler module loads (Powertools reads them at construction). */
function configureOfflineEnvironment(flags: RuntimeFlags): void {
  process.env.POWERTOOLS_LOG_LEVEL ??= flags.verbose ? 'INFO' : 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Short SLA offline so a stalled file is re-driven within the run, not after ten minutes.
  process.env.FINLEDGER_FILE_SLA_SECONDS ??= '20';
  // Offline-only key for card fingerprints; in AWS the stage's secret is injected by stacks/.
  process.env.FINLEDGER_PAN_HMAC_KEY ??= 'offline-only-not-a-secret';
}

/** The flags every runtime command shares. */
export type RuntimeFlags = Pick<Flags, 'state-dir' | 'verbose'>;

/** Run `use` on the offline runtime of the state folder (the pipeline, or storage only to inspect), then stop it. */
export async function withRuntime(
  flags: RuntimeFlags,
  root: string,
  mode: 'pipeline' | 'inspect',
  use: (runtime: Runtime) => Promise<number>,
  s3EventTime?: (uploadedAtMs: number) => number,
): Promise<number> {
  configureOfflineEnvironment(flags);
  const { consoleLogger, silentLogger, startRuntime } = await import('../../runtime/index.ts');
  const { startPipeline } = await import('../../runtime/pipeline.ts');
  const { stopGracefullyOnSignals } = await import('../../runtime/graceful-stop.ts');
  const stateDir = flags['state-dir'] ?? join(root, '.finledger', 'state');
  const logger = flags.verbose ? consoleLogger : { ...silentLogger, error: consoleLogger.error };
  const runtime =
    mode === 'pipeline'
      ? await startPipeline({
          stateDir,
          retryDelaySeconds: 2,
          logger,
          ...(s3EventTime ? { s3EventTime } : {}),
        })
      : await startRuntime({ stateDir, handlers: {}, s3Notifications: false, logger });
  const uninstallSignalStop = stopGracefullyOnSignals(runtime);
  try {
    return await use(runtime);
  } finally {
    uninstallSignalStop();
    await runtime.stop();
  }
}

/** Commands that work against a deployed stage with `--stage`. */
const STAGE_COMMANDS = new Set(['status', 'replay', 'dlq', 'lineage']);

/** The topology bucket of the bus event log. */
const EVENT_LOG_BUCKET = 'event-log';

/** What an operator command works on: a stage's resources and SDK clients for them (offline: the runtime too). */
export interface StageAccess {
  readonly document: StageDocument;
  readonly clients: OperatorClients;
  readonly runtime?: Runtime;
}

/**
 * Run `use` against `--stage <stage>` (the AWS credential chain, the stage's SSM document) or, without it, against
 * the offline runtime of the state folder — found the same way: the runtime serves its SSM document and the
 * clients reach it through `FINLEDGER_ENDPOINT_*`, so the offline run exercises the AWS code path.
 */
export async function withStage(
  flags: Pick<Flags, 'stage' | 'state-dir' | 'verbose'>,
  root: string,
  mode: 'pipeline' | 'inspect',
  use: (stage: StageAccess) => Promise<number>,
): Promise<number> {
  if (flags.stage !== undefined) {
    const { operatorClients } = await import('../stage-targets.ts');
    return useStage(operatorClients(process.env), flags.stage, use);
  }
  return withRuntime(flags, root, mode, (runtime) => onRuntimeStage(runtime, use));
}

/**
 * Run `use` against a running offline runtime as against a deployed stage: its SSM document and SDK clients on its
 * operator endpoints. `withStage` without `--stage`, and tests that drive a command on their own runtime.
 */
export async function onRuntimeStage(
  runtime: Runtime,
  use: (stage: StageAccess) => Promise<number>,
): Promise<number> {
  const { operatorClients } = await import('../stage-targets.ts');
  return useStage(operatorClients(operatorEnv(runtime)), runtime.stage, use, runtime);
}

async function useStage(
  clients: OperatorClients,
  stageName: string,
  use: (stage: StageAccess) => Promise<number>,
  runtime?: Runtime,
): Promise<number> {
  const { loadStageDocument } = await import('../stage-targets.ts');
  try {
    const document = await loadStageDocument(clients.ssm, topology.app, stageName).catch((error: Error) => {
      console.error(error.message);
      return undefined;
    });
    if (!document) return 1;
    return await use({ document, clients, ...(runtime ? { runtime } : {}) });
  } finally {
    clients.destroy();
  }
}

/** The environment that points the SDK clients at the runtime's operator endpoints. */
function operatorEnv(runtime: Runtime): NodeJS.ProcessEnv {
  return {
    AWS_REGION: runtime.region,
    ...Object.fromEntries(
      Object.entries(runtime.operatorEndpoints).map(([service, endpoint]) => [
        endpointVariable(service as AwsService),
        endpoint,
      ]),
    ),
  };
}

/** `run`, `status`, `replay`, `dlq`, `lineage`: commands on the offline runtime of a state folder (or a stage). */
export async function runtimeCommand(command: string, args: string[], root: string): Promise<number> {
  const { values: flags, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (flags.stage !== undefined && !STAGE_COMMANDS.has(command)) {
    console.error(
      `${command} --stage ${flags.stage}: only ${[...STAGE_COMMANDS].join(', ')} and rerun work against a deployed stage so far (issue #12); without --stage ${command} works on the offline state folder.`,
    );
    return 2;
  }
  const timeoutMs = Number(flags['timeout-seconds'] ?? 300) * 1000;
  switch (command) {
    case 'run': {
      if (flags.watch) {
        const { watchLandingFolder } = await import('../watch.ts');
        return withRuntime(flags, root, 'pipeline', (runtime) =>
          watchLandingFolder(runtime, join(root, 'landing')),
        );
      }
      const { runMainJob } = await import('../main-job.ts');
      const { ScenarioClock } = await import('../../runtime/scenario-clock.ts');
      const clock = new ScenarioClock();
      return withRuntime(
        flags,
        root,
        'pipeline',
        (runtime) => runMainJob(runtime, clock, { json: flags.json, timeoutMs }),
        clock.eventTime,
      );
    }
    case 'status': {
      const print = (report: PipelineReport) => {
        if (flags.json) printJson(report);
        else printText(formatReport(report));
        return reportExitCode(report);
      };
      if (flags.stage === undefined)
        return withRuntime(flags, root, 'inspect', async (runtime) => print(await pipelineReport(runtime)));
      // A deployed stage: the business dates asked for (default the last seven, UTC), not the whole history.
      const { businessDates, stageReportSources } = await import('../stage-report.ts');
      const to = flags.to ?? new Date().toISOString().slice(0, 10);
      const from =
        flags.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
      try {
        businessDates(from, to);
      } catch (error) {
        console.error(`status: ${(error as Error).message}`);
        return 2;
      }
      return withStage(flags, root, 'inspect', async (stage) =>
        print(await reportFrom(await stageReportSources(stage.document, stage.clients, { from, to }))),
      );
    }
    case 'replay': {
      if (!flags.from || !flags.to) {
        console.error(
          'Usage: finledger replay --from <ISO instant> --to <ISO instant> [--type FileLanded] [--source aws.s3] [--dry-run] [--json]',
        );
        return 2;
      }
      const from = new Date(flags.from);
      const to = new Date(flags.to);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
        console.error(
          `replay: --from ${flags.from} and --to ${flags.to} must be ISO 8601 instants with from < to, e.g. --from 2026-11-19T00:00:00Z --to 2026-11-20T00:00:00Z`,
        );
        return 2;
      }
      const { replayArchive } = await import('./replay.ts');
      return withStage(flags, root, flags['dry-run'] ? 'inspect' : 'pipeline', async (stage) => {
        const { stageReplayTarget } = await import('../stage-targets.ts');
        const { eventLogEvents } = await import('../../lib/event-log/read-event-log.ts');
        const eventLog = stage.document.buckets[EVENT_LOG_BUCKET];
        const target = stageReplayTarget(stage.document, topology, stage.clients.eventBridge, (from, to) =>
          eventLog
            ? eventLogEvents(stage.clients.s3, eventLog, { from, to })
            : Promise.reject(
                new Error(`Stage ${stage.document.stage} has no event log bucket: redeploy it.`),
              ),
        );
        const { runtime } = stage;
        return replayArchive(
          runtime ? { ...target, settle: () => waitForTerminalFiles(runtime, timeoutMs) } : target,
          {
            from,
            to,
            ...(flags.type ? { type: flags.type } : {}),
            ...(flags.source ? { source: flags.source } : {}),
            dryRun: flags['dry-run'],
            json: flags.json,
            progress: (line) => process.stderr.write(`${line}\n`),
          },
        );
      });
    }
    case 'dlq':
      return withStage(flags, root, 'inspect', (stage) => dlqCommand(stage, positionals, flags));
    case 'lineage': {
      const { lineageCommand } = await import('./lineage.ts');
      const { lineageSourcesOf } = await import('../lineage/gather.ts');
      return withStage(flags, root, 'inspect', (stage) =>
        lineageCommand(lineageSourcesOf(stage.document, stage.clients), positionals, { json: flags.json }),
      );
    }
    default:
      return 2;
  }
}

async function dlqCommand(stage: StageAccess, positionals: string[], flags: Flags): Promise<number> {
  const [action, service] = positionals;
  const { listDlqs, redriveDlqs, showDlqs } = await import('./dlq.ts');
  const { stageDlqTarget } = await import('../stage-targets.ts');
  const kind = flags.kind as 'queue' | 'rule' | 'worker' | 'event-log' | undefined;
  if (kind !== undefined && !['queue', 'rule', 'worker', 'event-log'].includes(kind)) {
    console.error(
      `dlq: --kind is queue (a service or unit queue's DLQ), rule (the bus rule target's DLQ), worker (a worker's failure queue) or event-log (the event-log stream's DLQ), not ${kind}`,
    );
    return 2;
  }
  const target = await stageDlqTarget(stage.document, stage.clients.sqs, stage.clients.s3);
  const options = {
    json: flags.json,
    ...(service ? { service } : {}),
    ...(kind === undefined ? {} : { kind }),
    progress: (line: string) => process.stderr.write(`${line}\n`),
  };
  if (action === 'list') return listDlqs(target, options);
  if (action === 'redrive') {
    const max = positiveNumber('--max', flags.max);
    const rate = positiveNumber('--rate', flags.rate);
    if (typeof max === 'string' || typeof rate === 'string') {
      console.error(
        `dlq redrive: ${[max, rate].filter((problem) => typeof problem === 'string').join('; ')}`,
      );
      return 2;
    }
    return redriveDlqs(target, {
      ...options,
      selection: {
        ...(flags.type === undefined ? {} : { type: flags.type }),
        ...(flags.error === undefined ? {} : { error: flags.error }),
        ...(max === undefined ? {} : { max }),
      },
      ...(rate === undefined ? {} : { rate }),
      dryRun: flags['dry-run'],
    });
  }
  if (action === 'show') {
    if (flags['group-by'] !== undefined && flags['group-by'] !== 'error' && flags['group-by'] !== 'type') {
      console.error(`dlq show: --group-by is error or type, not ${flags['group-by']}`);
      return 2;
    }
    return showDlqs(target, {
      ...options,
      max: Number(flags.max ?? 100),
      ...(flags['group-by'] ? { groupBy: flags['group-by'] as 'error' | 'type' } : {}),
    });
  }
  console.error(
    'Usage: finledger dlq list|show|redrive [SERVICE] [--kind queue|rule|worker] [--json]\n  show    [--group-by error|type] [--max N]\n  redrive [--type TYPE] [--error TEXT] [--max N] [--rate PER_SECOND] [--dry-run]\n  exit 0 ok, 1 a redrive failed, 2 usage, 3 messages wait in a DLQ (list) or a selective redrive must be run again',
  );
  return 2;
}

/** A flag that must be a positive number: the number, undefined when absent, or what is wrong with it. */
function positiveNumber(flag: string, value: string | undefined): number | undefined | string {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : `${flag} is a positive number, not ${value}`;
}
