import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FileValidatedV1 } from '../contracts/events/catalog.ts';
import type { ObjectRef } from '../contracts/events/envelope.ts';
import type { PartsOrManifestRef } from '../contracts/events/parts-manifest-ref.ts';
import { parseRecordsDeduplicated, RecordsDeduplicatedV1 } from '../contracts/events/records-deduplicated.ts';
import type { SettlementsMatchedData } from '../contracts/events/settlements-matched.ts';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import { readPartKeys } from '../lib/parts-manifest/parts-manifest.ts';

/** What finance and operations must look at, one row per record. */
export type ExceptionKind =
  | 'QUARANTINED'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'UNMATCHED'
  | 'PARTIALLY_SETTLED'
  | 'AMOUNT_MISMATCH'
  | 'ORPHAN_SETTLEMENT';

export interface ExceptionRow {
  kind: ExceptionKind;
  dataset: string;
  /** The business date of the record's own row. */
  businessDate: string;
  partner: string;
  /** Natural id (transaction or settlement id); null for a quarantined row (its id may be what is wrong). */
  id: string | null;
  fileId: string;
  /** Physical line in the partner file (header = line 1). */
  line: number;
  detail: string;
}

type ArchivedEvent = { 'detail-type': string; detail: unknown };
type Json = Record<string, unknown>;

/**
 * Every exception of the current runs, read from the outputs the services wrote (quarantine, dedup and match
 * result parts). Dedup and validation outputs are those of each file's current run; matching is the current run
 * per partner (a full snapshot of its window, so an item a late file matched is no longer listed).
 */
export async function gatherExceptions(
  s3: S3Client,
  files: readonly FileRecord[],
  events: readonly ArchivedEvent[],
  /** Per partner, the match run to list (`currentMatchRuns`). */
  matchRuns: readonly SettlementsMatchedData[],
): Promise<ExceptionRow[]> {
  const current = new Map(files.map((file) => [file.fileId, file]));
  const rows: ExceptionRow[] = [];
  const validated = latestPerFile(events, FileValidatedV1.type, current, (detail) => {
    const parsed = FileValidatedV1.schema.safeParse(detail);
    return parsed.success ? parsed.data : null;
  });
  for (const event of validated) {
    const { data } = event;
    for (const entry of await jsonLines(s3, data.quarantine))
      rows.push({
        kind: 'QUARANTINED',
        dataset: data.dataset,
        businessDate: data.businessDate,
        partner: data.partner,
        id: null,
        fileId: data.fileId,
        line: Number(entry.rowNumber),
        detail: `${entry.field ?? 'record'}: ${entry.reason}`,
      });
  }
  // v1 or v2 (archived events of either version are replayed): v2's duplicates and conflicts may be manifests.
  for (const event of latestPerFile(events, RecordsDeduplicatedV1.type, current, parseRecordsDeduplicated)) {
    const { data } = event;
    const site = {
      dataset: data.dataset,
      businessDate: data.businessDate,
      partner: data.partner,
      fileId: data.fileId,
    };
    const fileOf = (line: Json) =>
      line.fileId === data.fileId ? 'this file' : `${line.fileId} (${line.businessDate})`;
    for (const entry of await jsonLines(s3, data.duplicates)) {
      const row = entry.row as Json;
      const of = entry.of as Json;
      rows.push({
        ...site,
        kind: 'DUPLICATE',
        id: naturalId(entry),
        line: Number(row.rowNumber),
        detail: `${entry.scope} exact copy of line ${of.rowNumber} of ${fileOf(of)}; dropped`,
      });
    }
    for (const entry of await jsonLines(s3, data.conflicts)) {
      const row = entry.row as Json;
      const other = entry.other as Json;
      rows.push({
        ...site,
        kind: 'CONFLICT',
        id: naturalId(entry),
        line: Number(row.rowNumber),
        detail: `${entry.scope}: same key as line ${other.rowNumber} of ${fileOf(other)}, different content; quarantined until resolved`,
      });
    }
  }
  // v1 or v2: a run's results are listed, or in a manifest that `jsonLines` reads and checks.
  for (const run of matchRuns) {
    for (const record of await jsonLines(s3, run.results)) rows.push(...matchExceptions(run.partner, record));
  }
  return rows.sort(
    (a, b) =>
      `${a.dataset}#${a.businessDate}#${a.partner}#${a.kind}#${a.fileId}`.localeCompare(
        `${b.dataset}#${b.businessDate}#${b.partner}#${b.kind}#${b.fileId}`,
      ) || a.line - b.line,
  );
}

function naturalId(entry: Json): string | null {
  const key = entry.naturalKey as Record<string, string> | undefined;
  if (!key) return null;
  const values = Object.entries(key).filter(([field]) => field !== 'partner');
  return values.map(([, value]) => value).join('|') || null;
}

/** The match outcomes that are exceptions; matched groups are not. */
function matchExceptions(partner: string, record: Json): ExceptionRow[] {
  const transactions = (record.transactions as Json[] | undefined) ?? [];
  const settlements = (record.settlements as Json[] | undefined) ?? [];
  const row = (ref: Json, kind: ExceptionKind, dataset: string, detail: string): ExceptionRow => ({
    kind,
    dataset,
    businessDate: String(ref.businessDate),
    partner,
    id: String(ref.id),
    fileId: String(ref.fileId),
    // Match results carry the silver `_row_number`, the physical line.
    line: Number(ref.rowNumber),
    detail,
  });
  const settledBy = settlements.map((ref) => String(ref.id)).join(', ');
  switch (record.outcome) {
    case 'unmatched':
      return [
        row(
          record.transaction as Json,
          'UNMATCHED',
          'transactions',
          `no settlement (${record.reason}); age ${record.ageDays} d${record.aged ? ', past the settlement wait' : ', within the settlement wait'}`,
        ),
      ];
    case 'partially-settled':
      return transactions.map((ref) =>
        row(
          ref,
          'PARTIALLY_SETTLED',
          'transactions',
          `${record.currency} ${record.outstandingMinor} (minor) outstanding after ${settledBy}; age ${record.ageDays} d`,
        ),
      );
    case 'mismatch':
      return transactions.map((ref) =>
        row(
          ref,
          'AMOUNT_MISMATCH',
          'transactions',
          record.cause === 'CURRENCY'
            ? `settled in another currency by ${settledBy}`
            : `${record.cause}: settled ${record.settledMinor} + fee ${record.feeMinor} vs expected ${record.expectedMinor} ${record.currency} (minor), difference ${record.differenceMinor}, by ${settledBy}`,
        ),
      );
    case 'orphan':
      return [
        row(
          record.settlement as Json,
          'ORPHAN_SETTLEMENT',
          'settlements',
          `no transaction (${record.reason}); age ${record.ageDays} d`,
        ),
      ];
    default:
      return [];
  }
}

/** The last archived event of this type for each file's current run; `parse` gives null for one it refuses. */
function latestPerFile<Detail extends { runId: string; data: { fileId: string } }>(
  events: readonly ArchivedEvent[],
  type: string,
  current: ReadonlyMap<string, FileRecord>,
  parse: (detail: unknown) => Detail | null,
): Detail[] {
  const latest = new Map<string, Detail>();
  for (const event of events) {
    if (event['detail-type'] !== type) continue;
    const detail = parse(event.detail);
    if (!detail) continue;
    const file = current.get(detail.data.fileId);
    if (file && file.runId === detail.runId) latest.set(detail.data.fileId, detail);
  }
  return [...latest.values()];
}

/** Every entry of a ref's JSON Lines parts, listed or in a manifest (checked by `readPartKeys`). */
async function jsonLines(s3: S3Client, ref: PartsOrManifestRef | null | undefined): Promise<Json[]> {
  if (!ref) return [];
  const entries: Json[] = [];
  for (const key of await readPartKeys(ref, (object) => objectBytes(s3, object))) {
    const text = new TextDecoder().decode(await objectBytes(s3, { bucket: ref.bucket, key }));
    for (const line of text.split('\n')) if (line !== '') entries.push(JSON.parse(line) as Json);
  }
  return entries;
}

async function objectBytes(s3: S3Client, ref: ObjectRef): Promise<Uint8Array> {
  const object = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
}
