import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { vi } from 'vitest';
import type { RerunReport } from '../../cli/commands/rerun.ts';
import type { StageRerunRequest } from '../../cli/commands/rerun-on-stage.ts';
import { rerunOnStage } from '../../cli/commands/rerun-on-stage.ts';
import { onRuntimeStage } from '../../cli/commands/runtime-commands.ts';
import type { RerunRecord, RunMemberRecord } from '../../lib/file-registry/run-record.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { SampleFile } from '../sample-data/index.ts';
import { listKeys, readObjectBytes } from './support.ts';

/** A weekday after today (UTC): files landing now are before every cut-off, so the production gates apply. */
export function nextWeekday(from: Date): string {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * A second globex-pay settlements file of the date repeating the first three settlements of the sample's exactly
 * (globex-pay's trailer is optional): the later of the two to be deduplicated classifies them as cross-file
 * duplicates, which a rerun must reproduce.
 */
export function repeatedSettlements(
  sample: readonly SampleFile[],
  businessDate: string,
): { landingKey: string; bytes: Uint8Array } {
  const source = sample.find((file) => file.partner === 'globex-pay' && file.dataset === 'settlements');
  if (!source) throw new Error('the sample set has no globex-pay settlements file');
  const text = Buffer.from(source.bytes).toString('latin1');
  const ending = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(ending).filter((line) => line !== '' && !line.startsWith('TRAILER,'));
  return {
    landingKey: `inbound/globex-pay/settlements/${businessDate}/globex-pay-settlements-repeat.csv`,
    bytes: Buffer.from(`${lines.slice(0, 4).join(ending)}${ending}`, 'latin1'),
  };
}

/** Every object of one business date in the lake, by `bucket/key`, with the sha256 of its bytes. */
export async function snapshotObjects(runtime: Runtime, businessDate: string): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  for (const logical of ['raw', 'silver', 'quarantine', 'gold']) {
    const bucket = runtime.resources.buckets[logical]?.name;
    if (!bucket) throw new Error(`The runtime has no ${logical} bucket.`);
    for (const key of await listKeys(runtime, bucket, '')) {
      if (!key.includes(`/dt=${businessDate}/`)) continue;
      const bytes = await readObjectBytes(runtime, bucket, key);
      snapshot.set(`${bucket}/${key}`, createHash('sha256').update(bytes).digest('hex'));
    }
  }
  return snapshot;
}

/**
 * `finledger rerun --json` on the running pipeline, as the command runs it offline: the runtime's rerun function URL,
 * signed, then the run followed in the registry. Exit code, the printed report and what went to stderr.
 */
export async function rerunWithCli(
  runtime: Runtime,
  request: StageRerunRequest,
  timeoutMs = 60_000,
): Promise<{ code: number; report: RerunReport | null; errors: string[] }> {
  const printed: string[] = [];
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    printed.push(String(line));
  });
  const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
    errors.push(String(line));
  });
  try {
    const code = await onRuntimeStage(runtime, (stage) =>
      rerunOnStage(stage, request, { json: true, timeoutMs, pollMs: 100 }),
    );
    return {
      code,
      report: printed.length > 0 ? (JSON.parse(printed.join('\n')) as RerunReport) : null,
      errors,
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Every item of one partition of `files` (run records and members, a file's items), strongly consistent. */
export async function filesPartition(runtime: Runtime, pk: string): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
  const table = runtime.resources.tables.files;
  if (!table) throw new Error('The runtime has no files table.');
  const result = await doc.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/** A run's record and its members. */
export async function runItems(
  runtime: Runtime,
  runId: string,
): Promise<{ run: RerunRecord | undefined; members: RunMemberRecord[] }> {
  const items = await filesPartition(runtime, `RUN#${runId}`);
  return {
    run: items.find((item) => item.sk === 'RUN') as RerunRecord | undefined,
    members: items.filter((item) => String(item.sk).startsWith('FILE#')) as unknown as RunMemberRecord[],
  };
}
