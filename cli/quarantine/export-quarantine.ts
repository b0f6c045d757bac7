import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import { eventLogEvents } from '../../lib/event-log/read-event-log.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import type { StageDocument } from '../../lib/stage-resources/stage-document.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { writeText } from '../output.ts';
import { registryOf } from '../pipeline-state.ts';
import {
  currentQuarantines,
  type QuarantineFilter,
  type QuarantineSource,
  selectFiles,
} from './current-quarantine.ts';
import { type QuarantineFormat, rowWriter } from './format.ts';
import { QuarantineEntrySchema, type QuarantineRow, quarantineRow } from './quarantine-row.ts';

/** What an export printed and what it could not cover. */
export interface QuarantineExportSummary {
  readonly rows: number;
  /** Files whose current run quarantined rows. */
  readonly files: number;
  /** Files still open (not validated yet): not listed. */
  readonly open: string[];
  /** Closed files whose closing event of the current run is not archived: not listed. */
  readonly unannounced: string[];
}

/** Where the export reads: the registry, the quarantine parts, and the closing events of the selected files. */
export interface QuarantineSources {
  readonly s3: S3Client;
  readonly registry: FileRegistryStore;
  /** FileValidated / FileRejected events that can close these files (more is fine: the current run is kept). */
  events(files: readonly FileRecord[]): Promise<readonly { 'detail-type': string; detail: unknown }[]>;
}

/** The offline runtime's sources: its registry and its whole bus archive. */
export function runtimeQuarantineSources(runtime: Runtime): QuarantineSources {
  return { s3: runtime.clients.s3, registry: registryOf(runtime), events: () => runtime.bus.archive.read() };
}

/**
 * A deployed stage's sources: its registry, and the closing events from the bus event log, from the day before the
 * earliest selected date until now (a rerun or redrive closes a file long after its date), by type partition.
 */
export function stageQuarantineSources(
  document: StageDocument,
  clients: { readonly s3: S3Client; readonly dynamodb: DynamoDBClient },
  now: () => Date = () => new Date(),
): QuarantineSources {
  const filesTable = document.tables.files;
  const eventLog = document.buckets['event-log'];
  if (!filesTable || !eventLog)
    throw new Error(
      `Stage ${document.stage} has no files table or event log: redeploy it with this version.`,
    );
  return {
    s3: clients.s3,
    registry: new FileRegistryStore(DynamoDBDocumentClient.from(clients.dynamodb), filesTable),
    async events(files) {
      if (files.length === 0) return [];
      const earliest = files.map((file) => file.businessDate).sort()[0] as string;
      return eventLogEvents(clients.s3, eventLog, {
        from: new Date(Date.parse(`${earliest}T00:00:00Z`) - 86_400_000),
        to: now(),
        types: ['FileValidated', 'FileRejected'],
      });
    },
  };
}

/**
 * Print the quarantined rows of the current run of every selected file, part by part as they are read.
 *
 * Primary course:
 * 1. Select the files (registry), and find each current run's quarantine parts (its closing event).
 * 2. Write the format's opening (the CSV header, `[`).
 * 3. Read one part at a time; turn each JSON line into a row (reason code, id, failing value) and write it.
 * 4. Write the closing; return the counts for the caller's notes.
 */
export async function exportQuarantine(
  from: QuarantineSources,
  filter: QuarantineFilter,
  format: QuarantineFormat,
  write: (text: string) => void = writeText,
): Promise<QuarantineExportSummary> {
  const files = await selectFiles(from.registry, filter);
  const { sources, notes } = currentQuarantines(files, await from.events(files));
  const writer = rowWriter(format);
  write(writer.begin());
  let rows = 0;
  let listedFiles = 0;
  for (const source of sources) {
    let fileRows = 0;
    for await (const row of quarantinedRows(from.s3, source)) {
      write(writer.row(row));
      fileRows += 1;
    }
    rows += fileRows;
    if (fileRows > 0) listedFiles += 1;
  }
  write(writer.end());
  return { rows, files: listedFiles, ...notes };
}

/** The rows of one file's quarantine, one part in memory at a time. */
async function* quarantinedRows(s3: S3Client, source: QuarantineSource): AsyncGenerator<QuarantineRow> {
  const contract = source.schemaV === null ? undefined : findDataset(source.file.dataset, source.schemaV);
  for (const key of source.ref.parts) {
    const object = await s3.send(new GetObjectCommand({ Bucket: source.ref.bucket, Key: key }));
    const text = (await object.Body?.transformToString('utf-8')) ?? '';
    let start = 0;
    while (start < text.length) {
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end === -1 ? text.length : end);
      start = end === -1 ? text.length : end + 1;
      if (line === '') continue;
      const entry = QuarantineEntrySchema.safeParse(jsonOrNull(line));
      if (!entry.success) {
        throw new Error(
          `Quarantine part s3://${source.ref.bucket}/${key} holds a line that is not a quarantine entry. The part is damaged: compare it with the layout in services/schema-validate/file-outputs.ts, or rerun the file's date (finledger rerun).`,
        );
      }
      yield quarantineRow(source.file, entry.data, contract);
    }
  }
}

function jsonOrNull(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
