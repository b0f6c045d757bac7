import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventLogEvents } from '../lib/event-log/read-event-log.ts';
import { FileRegistryStore } from '../lib/file-registry/file-registry-store.ts';
import type { StageDocument } from '../lib/stage-resources/stage-document.ts';
import type { ReportSources } from './pipeline-state.ts';
import { type OperatorClients, stageQueueUrls, stageUnitQueueUrls } from './stage-targets.ts';

/** Most business dates one `status --stage` reads: each is a registry query and a slice of the event log. */
export const MAX_STATUS_DAYS = 31;

/** Days before a business date whose events can concern it (a file lands before its date ends in UTC). */
const EVENTS_BEFORE_DAYS = 1;

/**
 * A deployed stage's report sources for business dates `from`..`to`: the files of those dates from the registry's
 * `files-by-day` index (never a scan), the bus event log from the day before `from` until now (a late file, a rerun
 * or a redrive publishes long after its date), and the stage's queue depths.
 */
export async function stageReportSources(
  document: StageDocument,
  clients: OperatorClients,
  dates: { readonly from: string; readonly to: string },
  now: Date = new Date(),
): Promise<ReportSources> {
  const filesTable = document.tables.files;
  const eventLog = document.buckets['event-log'];
  if (!filesTable || !eventLog)
    throw new Error(
      `Stage ${document.stage} has no files table or event log: redeploy it with this version.`,
    );
  const urls = await stageQueueUrls(document, clients.sqs);
  const unitUrls = await stageUnitQueueUrls(document, clients.sqs);
  const registry = new FileRegistryStore(
    DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    filesTable,
  );
  return {
    dynamodb: clients.dynamodb,
    s3: clients.s3,
    sqs: clients.sqs,
    filesTable,
    queues: [
      ...Object.entries(urls).flatMap(([service, queues]) =>
        (['queue', 'dlq', 'busDlq'] as const).map((queue) => ({ service, queue, url: queues[queue] })),
      ),
      ...Object.entries(unitUrls).flatMap(([worker, queues]) =>
        (['queue', 'dlq'] as const).map((queue) => ({ service: worker, queue, url: queues[queue] })),
      ),
    ],
    async files() {
      const files = [];
      for (const date of businessDates(dates.from, dates.to))
        files.push(...(await registry.listDay(date)).files);
      return files;
    },
    events: () =>
      eventLogEvents(clients.s3, eventLog, {
        from: new Date(Date.parse(`${dates.from}T00:00:00Z`) - EVENTS_BEFORE_DAYS * 86_400_000),
        to: now,
      }),
  };
}

/** The dates `from`..`to` (YYYY-MM-DD, both included), or an error saying what is wrong with the range. */
export function businessDates(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(from) ||
    !/^\d{4}-\d{2}-\d{2}$/.test(to) ||
    Number.isNaN(start) ||
    Number.isNaN(end)
  )
    throw new RangeError(`--from ${from} and --to ${to} must be business dates as YYYY-MM-DD.`);
  const days = (end - start) / 86_400_000 + 1;
  if (days < 1) throw new RangeError(`--from ${from} is after --to ${to}.`);
  if (days > MAX_STATUS_DAYS)
    throw new RangeError(
      `${days} days asked; status reads at most ${MAX_STATUS_DAYS} at a time: split the range.`,
    );
  return Array.from({ length: days }, (_, index) =>
    new Date(start + index * 86_400_000).toISOString().slice(0, 10),
  );
}
