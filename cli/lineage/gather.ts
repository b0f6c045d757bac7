import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parquetReadObjects } from 'hyparquet';
import { datasetCatalog } from '../../contracts/datasets/catalog.ts';
import { LINEAGE_COLUMNS } from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { dynamoKeyStore } from '../../services/dedup/adapters/dynamo-key-store.ts';
import type { ConflictEntry, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import { dedupQuarantinePrefix } from '../../services/dedup/object-keys.ts';
import { dedupKeyOf } from '../../services/dedup/record-identity.ts';
import { registryOf } from '../pipeline-state.ts';
import type { LineageFacts, LineageQuery, SilverRowFact } from './trace.ts';

type Row = Record<string, unknown>;
type Entry = DuplicateEntry | ConflictEntry;

const LINEAGE_NAMES = new Set(LINEAGE_COLUMNS.map((column) => column.name));

/**
 * Gather the facts `traceRecord` needs for one natural key from the offline runtime (or any runtime's clients).
 * 1. The `dedup-keys` item names the owner: file, run, row, business date, sha256.
 * 2. The owner's registry row; its run's validated silver parts and dedup unique parts, at `_row_number`.
 * 3. The dedup quarantine of every run of the owner's date and of every date the bus archive saw deduplicated
 *    for this dataset and partner, kept to this key.
 * 4. The gold partition of the owner's date, if one was published.
 */
export async function gatherLineageFacts(runtime: Runtime, query: LineageQuery): Promise<LineageFacts> {
  const s3 = runtime.clients.s3;
  const buckets = bucketNames(runtime);
  const key = dedupKeyOf(query.dataset, query.partner, query.id);
  const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
  const keys = dynamoKeyStore(doc, tableName(runtime, 'dedup-keys'));
  const keyRecord = (await keys.getKeys([key])).get(key) ?? null;
  const registry = registryOf(runtime);
  const owner = keyRecord?.owner ?? null;

  const days = new Set(await archivedDays(runtime, query));
  if (owner) days.add(owner.businessDate);
  const runs: DedupRunRecord[] = [];
  for (const day of [...days].sort())
    runs.push(...(await registry.listDay(day, { dataset: query.dataset, partner: query.partner })).dedupRuns);

  const entries: Entry[] = [];
  for (const run of runs) {
    for (const kind of ['duplicates', 'conflicts'] as const) {
      for (const part of await listKeys(s3, buckets.quarantine, dedupQuarantinePrefix(run, kind)))
        entries.push(
          ...(await readEntries(s3, { bucket: buckets.quarantine, key: part })).filter((e) => e.key === key),
        );
    }
  }

  if (!owner) {
    return {
      query,
      key,
      keyRecord,
      ownerFile: null,
      validatedRow: null,
      uniqueRow: null,
      entries,
      gold: { objects: 0, row: null },
    };
  }
  const ownerFile = (await registry.get(owner.fileId)) ?? null;
  const runPrefix = `silver/dataset=${query.dataset}/source=${query.partner}/dt=${owner.businessDate}/run_id=${owner.runId}/`;
  const validatedParts = (await listKeys(s3, buckets.silver, runPrefix)).filter((part) =>
    part.includes(`/file_id=${owner.fileId}/`),
  );
  const ownerRun = runs.find((run) => run.fileId === owner.fileId && run.runId === owner.runId);
  const matchesOwner = (row: Row) =>
    Number(row._row_number) === owner.rowNumber && row._file_id === owner.fileId;
  const validatedRow = await findSilverRow(s3, buckets.silver, validatedParts, matchesOwner);
  const uniqueRow = ownerRun
    ? await findSilverRow(s3, ownerRun.unique.bucket, ownerRun.unique.parts, matchesOwner)
    : null;
  const gold = await findGoldRow(s3, buckets.gold, query, owner.businessDate);
  return { query, key, keyRecord, ownerFile, validatedRow, uniqueRow, entries, gold };
}

function tableName(runtime: Runtime, logical: string): string {
  const table = runtime.resources.tables[logical];
  if (!table) throw new Error(`The runtime has no ${logical} table; start it from the finledger topology.`);
  return table.name;
}

function bucketNames(runtime: Runtime) {
  const name = (logical: string) => runtime.resources.buckets[logical]?.name;
  return {
    silver: name('silver') as string,
    quarantine: name('quarantine') as string,
    gold: name('gold'),
  };
}

/** Business dates the bus archive saw deduplicated for this dataset and partner (cross-day duplicates). */
async function archivedDays(runtime: Runtime, query: LineageQuery): Promise<string[]> {
  const days: string[] = [];
  for (const event of await runtime.bus.archive.read()) {
    if (event['detail-type'] !== 'RecordsDeduplicated') continue;
    const data = (event.detail as { data?: { dataset?: string; partner?: string; businessDate?: string } })
      .data;
    if (data?.dataset === query.dataset && data.partner === query.partner && data.businessDate)
      days.push(data.businessDate);
  }
  return days;
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

async function getBytes(s3: S3Client, ref: ObjectRef): Promise<Uint8Array> {
  const result = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  if (!result.Body) throw new Error(`s3://${ref.bucket}/${ref.key} returned no body; run the command again.`);
  return result.Body.transformToByteArray();
}

async function readEntries(s3: S3Client, ref: ObjectRef): Promise<Entry[]> {
  const text = new TextDecoder().decode(await getBytes(s3, ref));
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Entry);
}

/** Every row of a Parquet part as JSON-safe objects (bigint as text, dates and instants as ISO text). */
async function readParquetRows(bytes: Uint8Array): Promise<Row[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Row[];
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, value]) => [
        name,
        typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value,
      ]),
    ),
  );
}

async function findSilverRow(
  s3: S3Client,
  bucket: string,
  parts: readonly string[],
  matches: (row: Row) => boolean,
): Promise<SilverRowFact | null> {
  for (const part of parts.filter((key) => key.endsWith('.parquet'))) {
    const row = (await readParquetRows(await getBytes(s3, { bucket, key: part }))).find(matches);
    if (!row) continue;
    const columns = Object.fromEntries(Object.entries(row).filter(([name]) => !LINEAGE_NAMES.has(name)));
    return {
      part: { bucket, key: part },
      columns: { ...columns, partner: row.partner, business_date: row.business_date },
      lineage: {
        fileId: String(row._file_id),
        sha256: String(row._file_sha256),
        rowNumber: Number(row._row_number),
        runId: String(row._run_id),
        schemaV: Number(row._schema_v),
      },
    };
  }
  return null;
}

/** The key's row in the date's gold partition (any run), matched on partner and the natural key fields. */
async function findGoldRow(
  s3: S3Client,
  bucket: string | undefined,
  query: LineageQuery,
  businessDate: string,
): Promise<LineageFacts['gold']> {
  if (!bucket) return { objects: 0, row: null };
  const objects = await listKeys(s3, bucket, `gold/dataset=${query.dataset}/dt=${businessDate}/`);
  const contract = datasetCatalog.find((candidate) => candidate.name === query.dataset);
  const idField = contract?.naturalKey.find((field) => field !== 'partner');
  if (!idField) return { objects: objects.length, row: null };
  for (const part of objects.filter((key) => key.endsWith('.parquet'))) {
    const row = (await readParquetRows(await getBytes(s3, { bucket, key: part }))).find(
      (candidate) =>
        String(candidate[idField]) === query.id && (candidate.partner ?? candidate.source) === query.partner,
    );
    if (row) return { objects: objects.length, row: { part: { bucket, key: part }, columns: row } };
  }
  return { objects: objects.length, row: null };
}
