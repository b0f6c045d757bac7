import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readyGates } from '../config/ready-gates.ts';
import type { DatasetName } from '../contracts/datasets/dataset-contract.ts';
import { DatasetBlockedV1, DatasetReadyV1, RecordsDeduplicatedV1 } from '../contracts/events/catalog.ts';
import { parseRecordsDeduplicated } from '../contracts/events/records-deduplicated.ts';
import type { SettlementsMatchedData } from '../contracts/events/settlements-matched.ts';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import { FileRegistryStore } from '../lib/file-registry/file-registry-store.ts';
import type { BusEvent } from '../runtime/bus-events.ts';
import { queueDepths } from '../runtime/idle.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { readyVerdicts } from '../services/rerun/adapters/ready-verdicts.ts';
import { attentionItems, type QueueCount, type VerdictState } from './attention.ts';
import { currentMatchRuns, currentReconciliations } from './current-runs.ts';
import { gatherExceptions } from './exceptions.ts';
import {
  buildReport,
  type DedupCounts,
  type MatchingRow,
  type PipelineReport,
  type Verdict,
} from './report.ts';

/**
 * What the report reads: the file registry, the bus events, objects the events point at, and queue depths. The
 * offline runtime gives every file and the whole archive; a deployed stage the files of a date range and the bus
 * event log of the matching window (`cli/stage-report.ts`).
 */
export interface ReportSources {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly filesTable: string;
  /** Service and unit worker queues (`service` is then the worker's name). */
  readonly queues: readonly { service: string; queue: 'queue' | 'dlq' | 'busDlq'; url: string }[];
  files(): Promise<FileRecord[]>;
  events(): Promise<readonly BusEvent[]>;
}

const documentClientOf = (dynamodb: DynamoDBClient) =>
  DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });

/** The file registry of a running offline pipeline. */
export function registryOf(runtime: Runtime): FileRegistryStore {
  return new FileRegistryStore(
    documentClientOf(runtime.clients.dynamodb),
    runtime.resources.tables.files!.name,
  );
}

/** The offline runtime's report sources: every file, the whole archive. */
export function runtimeReportSources(runtime: Runtime): ReportSources {
  return {
    dynamodb: runtime.clients.dynamodb,
    s3: runtime.clients.s3,
    sqs: runtime.clients.sqs,
    filesTable: runtime.resources.tables.files!.name,
    queues: [
      ...Object.entries(runtime.resources.services).flatMap(([service, queues]) =>
        (['queue', 'dlq', 'busDlq'] as const).map((queue) => ({ service, queue, url: queues[queue].url })),
      ),
      ...Object.entries(runtime.resources.units).flatMap(([worker, queues]) =>
        (['queue', 'dlq'] as const).map((queue) => ({ service: worker, queue, url: queues[queue].url })),
      ),
    ],
    files: () => registryOf(runtime).listAll(),
    events: () => runtime.bus.archive.read(),
  };
}

/** The report of the offline runtime. */
export const pipelineReport = (runtime: Runtime): Promise<PipelineReport> =>
  reportFrom(runtimeReportSources(runtime));

/**
 * Report from the registry plus objects refused before registration (FileRejected with no fileId, from the
 * archive). Every figure is the run that read the current facts (`current-runs.ts`, ready-publisher's own
 * `dayFacts` for verdicts), whatever order runs finished in; what is missing or parked is listed first.
 */
export async function reportFrom(sources: ReportSources): Promise<PipelineReport> {
  const files = await sources.files();
  const events = await sources.events();
  const unregistered = events
    .filter((event) => event['detail-type'] === 'FileRejected')
    .map(
      (event) =>
        event.detail as {
          data: { fileId: string | null; code: string; reason: string; source: { key: string } };
        },
    )
    .filter((detail) => detail.data.fileId === null)
    .map((detail) => ({ key: detail.data.source.key, code: detail.data.code, reason: detail.data.reason }));
  const dedup = currentDedupCounts(files, events);
  const deduplicated = new Set(dedup.keys());
  const reconciliations = currentReconciliations(events, files);
  const matchRuns = currentMatchRuns(events, files, deduplicated);
  const verdicts = await verdictStates(sources, files);
  const attention = attentionItems({
    queues: await queueCounts(sources),
    files,
    deduplicated,
    staleReconciliations: reconciliations
      .filter((chosen) => !chosen.current)
      .map(({ run, missed }) => ({ scope: `${run.dataset} ${run.businessDate} ${run.partner}`, missed })),
    staleMatches: matchRuns
      .filter((chosen) => !chosen.current)
      .map(({ run, missed }) => ({ partner: run.partner, asOf: run.businessDate, missed })),
    verdicts,
  });
  const currentVerdictRuns = new Set(verdicts.map((state) => state.currentRunId));
  return buildReport(
    files,
    unregistered,
    reconciliations.map((chosen) => chosen.run),
    latestVerdicts(events, currentVerdictRuns),
    {
      dedup,
      matching: matchingRows(matchRuns.map((chosen) => chosen.run)),
      exceptions: await gatherExceptions(
        sources.s3,
        files,
        events,
        matchRuns.map((chosen) => chosen.run),
      ),
      attention,
    },
  );
}

/** Messages in every service queue, DLQ and bus rule DLQ (approximate counts: nothing is received). */
async function queueCounts(sources: ReportSources): Promise<QueueCount[]> {
  const depths = await queueDepths(
    sources.sqs,
    sources.queues.map((entry) => entry.url),
  );
  return sources.queues.map((entry, index) => {
    const depth = depths[index]!;
    return {
      service: entry.service,
      queue: entry.queue,
      messages: depth.visible + depth.inFlight + depth.delayed,
    };
  });
}

/** Per dataset and business date with files: the ready run id of its current facts and the runs with a verdict. */
async function verdictStates(sources: ReportSources, files: readonly FileRecord[]): Promise<VerdictState[]> {
  const documents = documentClientOf(sources.dynamodb);
  const ports = readyVerdicts(
    documents,
    sources.filesTable,
    new FileRegistryStore(documents, sources.filesTable),
    readyGates,
  );
  const scopes = [...new Set(files.map((file) => `${file.dataset}#${file.businessDate}`))].sort();
  const states: VerdictState[] = [];
  for (const key of scopes) {
    const [dataset, businessDate] = key.split('#') as [DatasetName, string];
    const currentRunId = await ports.currentReadyRunId({ dataset, businessDate });
    if (currentRunId === null) continue; // No gates declared: never evaluated by design.
    const items = await ports.verdictItems({ dataset, businessDate });
    states.push({ dataset, businessDate, currentRunId, verdictRunIds: items.map((item) => item.runId) });
  }
  return states;
}

/** Dedup counts of each file's current run, from its RecordsDeduplicated (v1 or v2). */
export function currentDedupCounts(
  files: readonly FileRecord[],
  events: readonly { 'detail-type': string; detail: unknown }[],
): Map<string, DedupCounts> {
  const runs = new Map(files.map((file) => [file.fileId, file.runId]));
  const counts = new Map<string, DedupCounts>();
  for (const event of events) {
    if (event['detail-type'] !== RecordsDeduplicatedV1.type) continue;
    const parsed = parseRecordsDeduplicated(event.detail);
    if (!parsed || runs.get(parsed.data.fileId) !== parsed.runId) continue;
    const { unique, duplicates, conflicts } = parsed.data.counts;
    counts.set(parsed.data.fileId, { unique, duplicates, conflicts });
  }
  return counts;
}

/** The report rows of the chosen match runs. */
export function matchingRows(runs: readonly SettlementsMatchedData[]): MatchingRow[] {
  return runs.map((data) => {
    const c = data.counts;
    return {
      partner: data.partner,
      asOf: data.businessDate,
      window: data.window,
      matchRunId: data.matchRunId,
      counts: {
        transactions: c.transactions,
        matched: c.matchedTransactions,
        partiallySettled: c.partiallySettled,
        unmatched: c.unmatchedTransactions,
        aged: c.agedTransactions,
        mismatched: c.mismatchedTransactions,
        settlements: c.settlements,
        orphanSettlements: c.orphanSettlements,
      },
    };
  });
}

/**
 * Per dataset and business date, the verdict on the current facts (its run id in `currentRuns`); else the last
 * archived one (the report's attention section says it is stale). A verdict on older facts published late never
 * replaces the current one.
 */
export function latestVerdicts(
  events: readonly { 'detail-type': string; detail: unknown }[],
  currentRuns: ReadonlySet<string> = new Set(),
): Verdict[] {
  const latest = new Map<string, Verdict>();
  for (const event of events) {
    const verdict = verdictOf(event);
    if (!verdict) continue;
    const key = `${verdict.data.dataset}#${verdict.data.businessDate}`;
    const held = latest.get(key);
    if (held && currentRuns.has(held.data.runId) && !currentRuns.has(verdict.data.runId)) continue;
    latest.set(key, verdict);
  }
  return [...latest.values()];
}

function verdictOf(event: { 'detail-type': string; detail: unknown }): Verdict | null {
  if (event['detail-type'] === DatasetReadyV1.type) {
    const parsed = DatasetReadyV1.schema.safeParse(event.detail);
    return parsed.success ? { kind: 'READY', data: parsed.data.data } : null;
  }
  if (event['detail-type'] === DatasetBlockedV1.type) {
    const parsed = DatasetBlockedV1.schema.safeParse(event.detail);
    return parsed.success ? { kind: 'BLOCKED', data: parsed.data.data } : null;
  }
  return null;
}

/**
 * Wait until every registered file is terminal and the runtime is idle again (dedup and reconcile done). Open files past their SLA
 * are re-driven by the watchdog meanwhile; a file that never closes fails the wait with its id.
 */
export async function waitForTerminalFiles(runtime: Runtime, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const registry = registryOf(runtime);
  for (;;) {
    await runtime.waitForIdle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
    const open = (await registry.listAll()).filter((file) => file.stage === 'LANDED');
    if (open.length === 0) {
      // Downstream of the terminal stages (dedup, reconcile) runs on events the last closes published.
      await runtime.waitForIdle({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Files still open after ${timeoutMs} ms: ${open.map((file) => `${file.fileId} (${file.fileName})`).join(', ')}. Check \`finledger dlq list\`.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
