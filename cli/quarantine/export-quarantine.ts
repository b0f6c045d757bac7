import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { findDataset } from '../../contracts/datasets/catalog.ts';
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

/**
 * Print the quarantined rows of the current run of every selected file, part by part as they are read.
 *
 * Primary course:
 * 1. Select the files (registry), and find each current run's quarantine parts (bus archive).
 * 2. Write the format's opening (the CSV header, `[`).
 * 3. Read one part at a time; turn each JSON line into a row (reason code, id, failing value) and write it.
 * 4. Write the closing; return the counts for the caller's notes.
 */
export async function exportQuarantine(
  runtime: Runtime,
  filter: QuarantineFilter,
  format: QuarantineFormat,
  write: (text: string) => void = writeText,
): Promise<QuarantineExportSummary> {
  const files = await selectFiles(registryOf(runtime), filter);
  const { sources, notes } = currentQuarantines(files, await runtime.bus.archive.read());
  const writer = rowWriter(format);
  write(writer.begin());
  let rows = 0;
  let listedFiles = 0;
  for (const source of sources) {
    let fileRows = 0;
    for await (const row of quarantinedRows(runtime.clients.s3, source)) {
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
