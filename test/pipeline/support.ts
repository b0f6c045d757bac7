import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { z } from 'zod';
import { landObjects } from '../../cli/main-job.ts';
import { registryOf, waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import type { EventDefinition } from '../../contracts/events/envelope.ts';
import {
  parseSettlementsMatched,
  type SettlementsMatchedDetail,
  SettlementsMatchedV1,
} from '../../contracts/events/settlements-matched.ts';
import { readPartKeys } from '../../lib/parts-manifest/parts-manifest.ts';
import type { BusEvent } from '../../runtime/bus-events.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { type PipelineOptions, startPipeline } from '../../runtime/pipeline.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { sharedDynamoDb } from '../../runtime/testing/helpers.ts';

/** Offline settings the handlers read when they load; set before the pipeline starts. */
export function configureTestEnvironment(overrides: Record<string, string> = {}): void {
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    FINLEDGER_PAN_HMAC_KEY: 'test-only-hmac-key-0123456789',
    FINLEDGER_FILE_SLA_SECONDS: '600',
    ...overrides,
  });
}

/**
 * The full pipeline on fresh in-memory emulators (or `stateDir`), fast retries, quiet logs; in memory its tables
 * live on the run's shared DynamoDB Local.
 */
export function startTestPipeline(options: PipelineOptions = {}): Promise<Runtime> {
  return startPipeline({
    sharedDynamoDb: sharedDynamoDb(),
    retryDelaySeconds: 0,
    logger: silentLogger,
    watchdogIntervalMs: 250,
    ...options,
  });
}

/** Land objects and wait until every registered file is terminal. */
export async function landAndSettle(
  runtime: Runtime,
  objects: readonly { landingKey: string; bytes: Uint8Array }[],
  timeoutMs = 60_000,
): Promise<void> {
  await landObjects(runtime, objects);
  await waitForTerminalFiles(runtime, timeoutMs);
}

/** Archived bus events of one type (what reached the bus, in arrival order). */
export async function archivedEvents(runtime: Runtime, type: string): Promise<BusEvent[]> {
  return (await runtime.bus.archive.read()).filter(
    (event) => event['detail-type'] === type && !event['replay-name'],
  );
}

/** Archived details of one event definition (its type and version; other versions are left out), validated against it. */
export async function archivedDetails<D extends EventDefinition<string, number, z.ZodType>>(
  runtime: Runtime,
  definition: D,
): Promise<z.infer<D['schema']>[]> {
  return (await archivedEvents(runtime, definition.type))
    .filter((event) => (event.detail as { version?: unknown } | null)?.version === definition.version)
    .map((event) => definition.schema.parse(event.detail) as z.infer<D['schema']>);
}

/** Every archived SettlementsMatched, v1 and v2, in arrival order; throws on one that is neither. */
export async function archivedMatchRuns(runtime: Runtime): Promise<SettlementsMatchedDetail[]> {
  return (await archivedEvents(runtime, SettlementsMatchedV1.type)).map((event) => {
    const detail = parseSettlementsMatched(event.detail);
    if (!detail) throw new Error(`Archived SettlementsMatched ${event.id} is neither v1 nor v2`);
    return detail;
  });
}

/** A SettlementsMatched's result part keys, in order: listed (v1, v2) or read from its manifest (v2). */
export async function resultPartKeys(runtime: Runtime, event: SettlementsMatchedDetail): Promise<string[]> {
  return readPartKeys(event.data.results, (ref) => readObjectBytes(runtime, ref.bucket, ref.key));
}

export async function readObjectBytes(runtime: Runtime, bucket: string, key: string): Promise<Uint8Array> {
  const result = await runtime.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return result.Body!.transformToByteArray();
}

export async function readObjectText(runtime: Runtime, bucket: string, key: string): Promise<string> {
  return new TextDecoder().decode(await readObjectBytes(runtime, bucket, key));
}

export async function listKeys(runtime: Runtime, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await runtime.clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

export const registry = registryOf;

/** One line of a match result file (see services/settlement-match/result-records.ts). */
export type MatchRecord = {
  readonly outcome: string;
  readonly reason?: string;
  readonly cause?: string;
  readonly transaction?: { id: string };
  readonly transactions?: { id: string }[];
  readonly settlement?: { id: string };
  readonly settlements?: { id: string }[];
};

/** The result records a SettlementsMatched (v1 or v2) references (JSON Lines parts, listed or in a manifest). */
export async function matchRecordsOf(
  runtime: Runtime,
  event: SettlementsMatchedDetail,
): Promise<MatchRecord[]> {
  const { bucket } = event.data.results;
  const parts = await resultPartKeys(runtime, event);
  const texts = await Promise.all(parts.map((key) => readObjectText(runtime, bucket, key)));
  return texts.flatMap((text) =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as MatchRecord),
  );
}
