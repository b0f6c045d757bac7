import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parquetReadObjects } from 'hyparquet';
import { readyGates } from '../../config/ready-gates.ts';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import {
  type DatasetName,
  LINEAGE_COLUMNS,
  silverColumnsOf,
} from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { eventLogEvents } from '../../lib/event-log/read-event-log.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { isPartsManifestKey } from '../../lib/parts-manifest/parts-manifest.ts';
import type { StageDocument } from '../../lib/stage-resources/stage-document.ts';
import { dynamoHistoryManifests } from '../../services/dedup/adapters/dynamo-history-manifests.ts';
import { s3Objects } from '../../services/dedup/adapters/s3-objects.ts';
import type { ConflictEntry, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import { findKeyRecords } from '../../services/dedup/key-history/find-key-records.ts';
import { dedupQuarantinePrefix } from '../../services/dedup/object-keys.ts';
import { dedupKeyOf } from '../../services/dedup/record-identity.ts';
import { goldColumnsOf } from '../../services/ready-publisher/gold-content.ts';
import type { ReadyMarker } from '../../services/ready-publisher/ready-marker.ts';
import { readyVerdicts } from '../../services/rerun/adapters/ready-verdicts.ts';
import { latestReadyOf, latestVerdictOf, type ReadyPartitionFact, type VerdictFact } from './gold-choice.ts';
import { silverCells } from './silver-cells.ts';
import {
  type GoldFacts,
  type LineageFacts,
  type LineageQuery,
  type RecordedEntry,
  rowsRunOf,
  type SilverRowFact,
} from './trace.ts';

type Row = Record<string, unknown>;
type Entry = DuplicateEntry | ConflictEntry;

const LINEAGE_NAMES = new Set(LINEAGE_COLUMNS.map((column) => column.name));

/** Where lineage reads: a stage's tables and buckets (offline: the runtime's, found the same way) and clients. */
export interface LineageSources {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly tables: { readonly files: string; readonly dedupHistory: string };
  readonly buckets: {
    readonly silver: string;
    readonly quarantine: string;
    readonly gold: string | undefined;
    readonly eventLog: string;
  };
  readonly now: () => Date;
}

/** The lineage sources of a stage document (`finledger lineage --stage`, and offline through the runtime's). */
export function lineageSourcesOf(
  document: StageDocument,
  clients: { readonly s3: S3Client; readonly dynamodb: DynamoDBClient },
  now: () => Date = () => new Date(),
): LineageSources {
  const need = (what: string, name: string | undefined) => {
    if (!name)
      throw new Error(`Stage ${document.stage} has no ${what}: redeploy it with this finledger version.`);
    return name;
  };
  return {
    s3: clients.s3,
    dynamodb: clients.dynamodb,
    tables: {
      files: need('files table', document.tables.files),
      dedupHistory: need('dedup-history table', document.tables['dedup-history']),
    },
    buckets: {
      silver: need('silver bucket', document.buckets.silver),
      quarantine: need('quarantine bucket', document.buckets.quarantine),
      gold: document.buckets.gold,
      eventLog: need('event-log bucket', document.buckets['event-log']),
    },
    now,
  };
}

/**
 * Days of event time after a business date in which lineage looks for other dates' dedup runs of the key's dataset
 * and partner (cross-day duplicates arrive in later files): the bus event log is read by type and date partition.
 */
export const CROSS_DAY_WINDOW_DAYS = 35;

/**
 * Gather the facts `traceRecord` needs for one natural key from a stage's stores (offline: the runtime's).
 * 1. The key's record in the partner's dedup key history names the owner: file, run, row, business date, sha256.
 * 2. The owner's registry row; the validated silver parts and dedup unique parts of the run `rowsRunOf` picks (the
 *    file's current run once validated there, else the owner's), at `_row_number`.
 * 3. The dedup quarantine of every run of the owner's date and of every date the bus event log saw deduplicated
 *    for this dataset and partner within {@link CROSS_DAY_WINDOW_DAYS} of it (without an owner: of the last
 *    days), kept to this key, each entry with its run's commit time and contract version.
 * 4. The owner date's gold: the partition of the latest `_READY.json`, and the latest verdict committed.
 */
export async function gatherLineageFacts(
  sources: LineageSources,
  query: LineageQuery,
): Promise<LineageFacts> {
  const { s3, buckets } = sources;
  const key = dedupKeyOf(query.dataset, query.partner, query.id);
  const doc = DynamoDBDocumentClient.from(sources.dynamodb);
  const history = dynamoHistoryManifests(doc, sources.tables.dedupHistory);
  const scope = { dataset: query.dataset, partner: query.partner };
  const found = await findKeyRecords({ objects: s3Objects(s3), history }, buckets.silver, scope, [key]);
  const keyRecord = found.get(key) ?? null;
  const registry = new FileRegistryStore(doc, sources.tables.files);
  const owner = keyRecord?.owner ?? null;

  const days = new Set(await dedupedDays(sources, query, owner?.businessDate));
  if (owner) days.add(owner.businessDate);
  const runs: DedupRunRecord[] = [];
  for (const day of [...days].sort())
    runs.push(...(await registry.listDay(day, { dataset: query.dataset, partner: query.partner })).dedupRuns);

  const entries = await quarantineEntries(s3, buckets.quarantine, runs, key);

  if (!owner) {
    return {
      query,
      key,
      keyRecord,
      ownerFile: null,
      validatedRow: null,
      uniqueRow: null,
      entries,
      gold: { objects: 0, ready: null, row: null, latestVerdict: null },
    };
  }
  const ownerFile = (await registry.get(owner.fileId)) ?? null;
  const runId = rowsRunOf(owner, ownerFile);
  const runPrefix = `silver/dataset=${query.dataset}/source=${query.partner}/dt=${owner.businessDate}/run_id=${runId}/`;
  const validatedParts = (await listKeys(s3, buckets.silver, runPrefix)).filter((part) =>
    part.includes(`/file_id=${owner.fileId}/`),
  );
  const dedupRun = runs.find((run) => run.fileId === owner.fileId && run.runId === runId);
  const matchesOwner = (row: Row) =>
    Number(row._row_number) === owner.rowNumber && row._file_id === owner.fileId;
  const validatedRow = await findSilverRow(s3, query, buckets.silver, validatedParts, matchesOwner);
  const uniqueRow = dedupRun
    ? await findSilverRow(s3, query, dedupRun.unique.bucket, dedupRun.unique.parts, matchesOwner)
    : null;
  const latestVerdict = await latestVerdictFor(sources.tables.files, doc, registry, {
    dataset: query.dataset,
    businessDate: owner.businessDate,
  });
  const gold = await findGoldRow(s3, buckets.gold, query, owner.businessDate);
  return {
    query,
    key,
    keyRecord,
    ownerFile,
    validatedRow,
    uniqueRow,
    entries,
    gold: { ...gold, latestVerdict },
  };
}

/** The key's duplicate and conflict entries in the dedup quarantine of each run, with the run's facts. */
async function quarantineEntries(
  s3: S3Client,
  bucket: string,
  runs: readonly DedupRunRecord[],
  key: string,
): Promise<RecordedEntry[]> {
  const entries: RecordedEntry[] = [];
  for (const run of runs) {
    for (const kind of ['duplicates', 'conflicts'] as const) {
      // The folder's listing holds its parts and, for a long list, their manifest (not an entry part).
      const parts = (await listKeys(s3, bucket, dedupQuarantinePrefix(run, kind))).filter(
        (part) => !isPartsManifestKey(part),
      );
      for (const part of parts)
        for (const entry of await readEntries(s3, { bucket, key: part }))
          if (entry.key === key) entries.push({ entry, recordedAt: run.committedAt, schemaV: run.schemaV });
    }
  }
  return entries;
}

/** The latest verdict ready-publisher committed for a dataset and date (its `READY#…` items, read as rerun reads them). */
async function latestVerdictFor(
  filesTable: string,
  doc: DynamoDBDocumentClient,
  registry: FileRegistryStore,
  scope: { dataset: DatasetName; businessDate: string },
): Promise<VerdictFact | null> {
  const items = await readyVerdicts(doc, filesTable, registry, readyGates).verdictItems(scope);
  return latestVerdictOf(
    items.map(({ verdict, runId, committedAt, failedGates }) => ({
      verdict,
      runId,
      committedAt,
      failedGates,
    })),
  );
}

/**
 * Business dates the bus event log saw deduplicated for this dataset and partner (cross-day duplicates): events of
 * the window from the day before the owner's date (or the last days, without an owner), by type partition.
 */
async function dedupedDays(
  sources: LineageSources,
  query: LineageQuery,
  ownerDate: string | undefined,
): Promise<string[]> {
  const day = 86_400_000;
  const now = sources.now().getTime();
  const from = ownerDate ? Date.parse(`${ownerDate}T00:00:00Z`) - day : now - CROSS_DAY_WINDOW_DAYS * day;
  const to = Math.min(now, from + (CROSS_DAY_WINDOW_DAYS + 1) * day);
  const events = await eventLogEvents(sources.s3, sources.buckets.eventLog, {
    from: new Date(from),
    to: new Date(Math.max(from, to)),
    types: ['RecordsDeduplicated'],
  });
  const days: string[] = [];
  for (const event of events) {
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

/**
 * Every row of a Parquet part with values as written (INT64 and instants as bigint, dates as epoch days), to be
 * formatted by the contract's column types (`silverCells`): hyparquet's default `Date` would drop microseconds.
 */
async function readParquetRows(bytes: Uint8Array): Promise<Row[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file, parsers: EXACT_PARSERS })) as Row[];
}

const EXACT_PARSERS = {
  timestampFromMicroseconds: (micros: bigint) => micros,
  dateFromDays: (days: number) => days,
};

async function findSilverRow(
  s3: S3Client,
  query: LineageQuery,
  bucket: string,
  parts: readonly string[],
  matches: (row: Row) => boolean,
): Promise<SilverRowFact | null> {
  for (const part of parts.filter((key) => key.endsWith('.parquet'))) {
    const raw = (await readParquetRows(await getBytes(s3, { bucket, key: part }))).find(matches);
    if (!raw) continue;
    const contract = findDataset(query.dataset, Number(raw._schema_v));
    const row = silverCells(contract ? silverColumnsOf(contract) : LINEAGE_COLUMNS, raw);
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

/**
 * The key's row in the date's latest READY partition: only partitions with their `_READY.json` (written last) are
 * complete; the parts read are the ones the chosen marker lists; rows match on partner and the natural id.
 */
async function findGoldRow(
  s3: S3Client,
  bucket: string | undefined,
  query: LineageQuery,
  businessDate: string,
): Promise<Omit<GoldFacts, 'latestVerdict'>> {
  if (!bucket) return { objects: 0, ready: null, row: null };
  const objects = await listKeys(s3, bucket, `gold/dataset=${query.dataset}/dt=${businessDate}/`);
  const partitions: ReadyPartitionFact[] = [];
  for (const key of objects.filter((candidate) => candidate.endsWith('/_READY.json'))) {
    const marker = JSON.parse(new TextDecoder().decode(await getBytes(s3, { bucket, key }))) as ReadyMarker;
    partitions.push({
      runId: marker.runId,
      createdAt: marker.createdAt,
      schemaV: marker.schemaV,
      marker: { bucket, key },
      parts: marker.parts.map((part) => part.key),
    });
  }
  const ready = latestReadyOf(partitions);
  const contract = ready ? findDataset(query.dataset, ready.schemaV) : undefined;
  const idField = contract?.naturalKey.find((field) => field !== 'partner');
  if (!ready || !contract || !idField) return { objects: objects.length, ready, row: null };
  for (const part of ready.parts) {
    const row = (await readParquetRows(await getBytes(s3, { bucket, key: part }))).find(
      (candidate) =>
        String(candidate[idField]) === query.id && (candidate.partner ?? candidate.source) === query.partner,
    );
    if (row)
      return {
        objects: objects.length,
        ready,
        row: { part: { bucket, key: part }, columns: silverCells(goldColumnsOf(contract), row) },
      };
  }
  return { objects: objects.length, ready, row: null };
}
