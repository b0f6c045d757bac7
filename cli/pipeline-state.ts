import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DatasetBlockedV1,
  DatasetReadyV1,
  ReconciliationCompletedV1,
  RecordsDeduplicatedV1,
} from '../contracts/events/catalog.ts';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import { FileRegistryStore } from '../lib/file-registry/file-registry-store.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { gatherExceptions, latestMatchRuns } from './exceptions.ts';
import {
  buildReport,
  type DedupCounts,
  type MatchingRow,
  type PipelineReport,
  type Reconciliation,
  type Verdict,
} from './report.ts';

/** The file registry of a running offline pipeline. */
export function registryOf(runtime: Runtime): FileRegistryStore {
  const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new FileRegistryStore(doc, runtime.resources.tables.files!.name);
}

/** Report from the registry plus objects refused before registration (FileRejected with no fileId, from the archive). */
export async function pipelineReport(runtime: Runtime): Promise<PipelineReport> {
  const files = await registryOf(runtime).listAll();
  const events = await runtime.bus.archive.read();
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
  return buildReport(files, unregistered, latestReconciliations(events), latestVerdicts(events), {
    dedup: currentDedupCounts(files, events),
    matching: latestMatching(events),
    exceptions: await gatherExceptions(runtime.clients.s3, files, events),
  });
}

/** Dedup counts of each file's current run, from its RecordsDeduplicated. */
export function currentDedupCounts(
  files: readonly FileRecord[],
  events: readonly { 'detail-type': string; detail: unknown }[],
): Map<string, DedupCounts> {
  const runs = new Map(files.map((file) => [file.fileId, file.runId]));
  const counts = new Map<string, DedupCounts>();
  for (const event of events) {
    if (event['detail-type'] !== RecordsDeduplicatedV1.type) continue;
    const parsed = RecordsDeduplicatedV1.schema.safeParse(event.detail);
    if (!parsed.success || runs.get(parsed.data.data.fileId) !== parsed.data.runId) continue;
    const { unique, duplicates, conflicts } = parsed.data.data.counts;
    counts.set(parsed.data.data.fileId, { unique, duplicates, conflicts });
  }
  return counts;
}

/** Per partner, the latest match run's counts. */
export function latestMatching(events: readonly { 'detail-type': string; detail: unknown }[]): MatchingRow[] {
  return latestMatchRuns(events).map((data) => {
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

/** The latest DatasetReady or DatasetBlocked of each dataset and business date, in archive (publish) order. */
export function latestVerdicts(events: readonly { 'detail-type': string; detail: unknown }[]): Verdict[] {
  const latest = new Map<string, Verdict>();
  for (const event of events) {
    const verdict = verdictOf(event);
    if (verdict) latest.set(`${verdict.data.dataset}#${verdict.data.businessDate}`, verdict);
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

/** The latest ReconciliationCompleted of each dataset, business date and partner, in archive (publish) order. */
export function latestReconciliations(
  events: readonly { 'detail-type': string; detail: unknown }[],
): Reconciliation[] {
  const latest = new Map<string, Reconciliation>();
  for (const event of events) {
    if (event['detail-type'] !== ReconciliationCompletedV1.type) continue;
    const parsed = ReconciliationCompletedV1.schema.safeParse(event.detail);
    if (!parsed.success) continue;
    const { data } = parsed.data;
    latest.set(`${data.dataset}#${data.businessDate}#${data.partner}`, data);
  }
  return [...latest.values()];
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
