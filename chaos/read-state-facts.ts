/**
 * Child entry point of the chaos harness: `tsx chaos/read-state-facts.ts <stateDir>` opens the state folder's
 * runtime in inspect mode (storage only, no handler runs) and prints one JSON line: the pipeline report (the same
 * `pipelineReport` `finledger status --json` prints) and the `StateFacts` read directly from the stores.
 * Queues are read through fauxqs' `inspectQueue`, never received: `finledger dlq list` hands messages back with
 * visibility 0, which fauxqs 2.4.1 drops when a state folder is used (see cli/pan-scan/queues.ts).
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { withRuntime } from '../cli/commands/runtime-commands.ts';
import { pipelineReport } from '../cli/pipeline-state.ts';
import { maskingJsonReplacer } from '../lib/logging/service-logger.ts';
import type { Runtime } from '../runtime/runtime.ts';
import {
  type QueueFacts,
  type RerunFacts,
  STATE_READ_MARKER,
  type StateFacts,
  type StateRead,
  type UploadRef,
  uploadOfItemKey,
} from './state-facts.ts';

const DLQ_BODY_BYTES = 300;

async function queueFacts(
  runtime: Runtime,
): Promise<{ queues: QueueFacts[]; dlqMessages: StateFacts['dlqMessages'] }> {
  const queues: QueueFacts[] = [];
  const dlqMessages: { queue: string; body: string }[] = [];
  // Unit workers' queues count like services' (a unit worker has no bus DLQ).
  const redriven = [
    ...Object.entries(runtime.resources.services),
    ...Object.entries(runtime.resources.units).map(
      ([worker, queues]) => [worker, { ...queues, busDlq: undefined }] as const,
    ),
  ];
  for (const [service, provisioned] of redriven) {
    const named = (
      [
        ['queue', provisioned.queue.name],
        ['dlq', provisioned.dlq.name],
        ['bus-dlq', provisioned.busDlq?.name],
      ] as const
    ).flatMap(([kind, name]) => (name === undefined ? [] : [[kind, name] as const]));
    for (const [kind, name] of named) {
      const inspected = await runtime.emulators.fauxqs.inspectQueue(name);
      const messages = inspected?.messages;
      queues.push({
        name,
        service,
        kind,
        ready: messages?.ready.length ?? 0,
        delayed: messages?.delayed.length ?? 0,
        inFlight: messages?.inflight.length ?? 0,
      });
      if (kind === 'queue' || !messages) continue;
      for (const message of [
        ...messages.ready,
        ...messages.delayed,
        ...messages.inflight.map((entry) => entry.message),
      ])
        dlqMessages.push({ queue: name, body: message.body.slice(0, DLQ_BODY_BYTES) });
    }
  }
  return { queues, dlqMessages };
}

/** Upload and rerun items of the files table (one paginated scan). */
async function registryFacts(
  runtime: Runtime,
): Promise<{ counted: StateFacts['countedUploads']; reruns: RerunFacts[] }> {
  const table = runtime.resources.tables.files?.name;
  if (!table) throw new Error('The topology has no files table; nothing to read.');
  const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
  const counted: (UploadRef & { fileId: string })[] = [];
  const reruns: RerunFacts[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'sk IN (:upload, :run)',
        ExpressionAttributeValues: { ':upload': 'UPLOAD', ':run': 'RUN' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.sk === 'RUN') {
        reruns.push({
          runId: String(item.runId),
          from: String(item.from),
          to: String(item.to),
          requestedAt: String(item.requestedAt),
          fileCount: Number(item.fileCount ?? 0),
        });
        continue;
      }
      const upload = uploadOfItemKey(String(item.pk));
      if (upload) counted.push({ ...upload, fileId: String(item.fileId) });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { counted, reruns };
}

interface ObjectCreatedDetail {
  bucket?: { name?: string };
  object?: { key?: string; versionId?: string; sequencer?: string; etag?: string };
}

async function archiveFacts(
  runtime: Runtime,
): Promise<{ notified: UploadRef[]; archive: StateFacts['archive'] }> {
  const landing = runtime.resources.buckets.landing?.name;
  const events = await runtime.bus.archive.read();
  const seen = new Set<string>();
  let republished = 0;
  const notified: UploadRef[] = [];
  for (const event of events) {
    const envelopeId = (event.detail as { eventId?: unknown } | null)?.eventId;
    const id = typeof envelopeId === 'string' ? envelopeId : event.id;
    if (seen.has(id)) republished += 1;
    seen.add(id);
    if (event['detail-type'] !== 'Object Created' || event['replay-name']) continue;
    const detail = event.detail as ObjectCreatedDetail;
    if (detail.bucket?.name !== landing || !detail.object?.key) continue;
    const version = detail.object.versionId ?? detail.object.sequencer ?? detail.object.etag ?? event.id;
    notified.push({ object: `${landing}/${detail.object.key}`, version });
  }
  return { notified, archive: { events: events.length, republished } };
}

async function readState(stateDir: string): Promise<number> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return withRuntime({ 'state-dir': stateDir, verbose: false }, root, 'inspect', async (runtime) => {
    const report = await pipelineReport(runtime);
    const { queues, dlqMessages } = await queueFacts(runtime);
    const { counted, reruns } = await registryFacts(runtime);
    const { notified, archive } = await archiveFacts(runtime);
    const facts: StateFacts = {
      queues,
      dlqMessages,
      notifiedUploads: notified,
      countedUploads: counted,
      reruns,
      archive,
    };
    // Masked like every CLI output (file names and reasons may hold card numbers).
    console.log(
      `${STATE_READ_MARKER}${JSON.stringify({ report, facts } satisfies StateRead, maskingJsonReplacer)}`,
    );
    return 0;
  });
}

const [stateDir] = process.argv.slice(2);
if (!stateDir) {
  console.error('Usage: tsx chaos/read-state-facts.ts <stateDir>');
  process.exitCode = 2;
} else {
  readState(stateDir).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exitCode = 1;
    },
  );
}
