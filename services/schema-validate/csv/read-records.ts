import type { DeclaredEncoding } from '../../../config/partners.ts';
import { decodeStream } from './decode.ts';
import { refuseCrOnlyLineBreaks } from './line-breaks.ts';
import { checkFileStart } from './sniff.ts';
import { type CsvParserOptions, type CsvRecord, parseCsv } from './strict-csv-parser.ts';

/**
 * The records of a raw file, in batches: its first bytes checked against the declared encoding (sniff.ts),
 * decoded strictly (decode.ts), CR-only line breaks refused (line-breaks.ts), parsed as strict CSV. Every stage
 * streams; the first rejection (a FileRejectionError) ends the batches.
 * @example for await (const batch of readRecords(body, 'utf-8', { maxRecordSize })) …
 */
export function readRecords(
  body: AsyncIterable<Uint8Array>,
  encoding: DeclaredEncoding,
  options: CsvParserOptions = {},
): AsyncGenerator<CsvRecord[]> {
  return parseCsv(refuseCrOnlyLineBreaks(decodeStream(checkFileStart(body, encoding), encoding)), options);
}

/**
 * The records of one chunk of a file validated in chunks (`chunks/plan-chunks.ts`): the bytes from a record
 * boundary mid-file. The file-start checks (first bytes, CR-only line breaks of line 1) belong to the first chunk,
 * which reads with `readRecords`; here line numbers and byte offsets continue the file's.
 */
export function readChunkRecords(
  body: AsyncIterable<Uint8Array>,
  encoding: DeclaredEncoding,
  from: { readonly byteOffset: number; readonly firstLine: number },
  options: CsvParserOptions = {},
): AsyncGenerator<CsvRecord[]> {
  return parseCsv(decodeStream(body, encoding, { byteOffset: from.byteOffset }), {
    ...options,
    firstLine: from.firstLine,
  });
}
