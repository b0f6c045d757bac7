import { FileRejectionError } from '../errors.ts';

/** One CSV record: its fields, the physical line it starts on (1-based) and its text without the line break. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
  readonly raw: string;
}

export interface CsvParserOptions {
  /** Largest record, in UTF-16 code units (≈ bytes for ASCII); larger → RECORD_TOO_LARGE. Default 1 MiB. */
  readonly maxRecordSize?: number;
  /** Physical line of the first record (a chunk of a file validated in chunks starts mid-file). Default 1. */
  readonly firstLine?: number;
}

export const DEFAULT_MAX_RECORD_SIZE = 1024 * 1024;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** `parse` found the end of the buffered text inside a record: keep it and wait for more. */
const INCOMPLETE = -1;

/**
 * A strict RFC 4180 parser over decoded text chunks, comma-delimited, CRLF or LF line breaks.
 * It never relaxes quoting: a quote inside an unquoted field, text after a closing quote, an unclosed quote
 * or a bare CR reject the file (MALFORMED_CSV, with line and column). Field counts are not checked here:
 * a ragged record is a row-level outcome for the caller. An empty line is no record (its line number still
 * counts); a line of spaces is a one-field record. Only the current partial record is buffered.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 * @example const parser = new StrictCsvParser(); const out: CsvRecord[] = []; parser.push('a,b\n', out); parser.end(out);
 */
export class StrictCsvParser {
  private carry = '';
  private nextLine = 1;
  private readonly maxRecordSize: number;

  constructor(options: CsvParserOptions = {}) {
    this.maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
    this.nextLine = options.firstLine ?? 1;
  }

  /** Parse a chunk, appending every record it completes to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    const text = this.carry.length === 0 ? chunk : this.carry + chunk;
    const consumed = this.parse(text, false, out);
    this.carry = consumed === text.length ? '' : text.slice(consumed);
    if (this.carry.length > this.maxRecordSize) throw this.tooLarge(this.nextLine);
  }

  /** End of input: the last record may lack a line break, but must be complete (no open quote). */
  end(out: CsvRecord[]): void {
    if (this.carry.length === 0) return;
    const text = this.carry;
    this.carry = '';
    this.parse(text, true, out);
  }

  /** Records in `text`; returns the offset of the first character not consumed (a partial record). */
  private parse(text: string, final: boolean, out: CsvRecord[]): number {
    const length = text.length;
    let position = 0;
    while (position < length) {
      const next = this.fastRecord(text, position, final, out);
      const end =
        next === INCOMPLETE ? INCOMPLETE : next === 0 ? this.slowRecord(text, position, final, out) : next;
      if (end === INCOMPLETE) return position;
      position = end;
    }
    return position;
  }

  /**
   * The common case: a line with no quote and no CR except before its LF, split on commas.
   * Returns the offset after the record, INCOMPLETE, or 0 to hand the record to the state machine.
   */
  private fastRecord(text: string, start: number, final: boolean, out: CsvRecord[]): number {
    let lineEnd = text.indexOf('\n', start);
    let next: number;
    if (lineEnd === -1) {
      if (!final) return INCOMPLETE;
      lineEnd = text.length;
      next = lineEnd;
    } else {
      next = lineEnd + 1;
    }
    const contentEnd =
      lineEnd > start && text.charCodeAt(lineEnd - 1) === CR && lineEnd < text.length ? lineEnd - 1 : lineEnd;
    if (contentEnd === start) {
      // An empty line carries no data: it is not a record (a trailer's row count never includes it).
      this.nextLine += 1;
      return next;
    }
    const raw = text.slice(start, contentEnd);
    if (raw.indexOf('"') !== -1 || raw.indexOf('\r') !== -1) return 0;
    if (raw.length > this.maxRecordSize) throw this.tooLarge(this.nextLine);
    out.push({ line: this.nextLine, fields: raw.split(','), raw });
    this.nextLine += 1;
    return next;
  }

  /** The RFC 4180 state machine, for records with quotes or stray CRs. */
  private slowRecord(text: string, start: number, final: boolean, out: CsvRecord[]): number {
    const length = text.length;
    const fields: string[] = [];
    let breaks = 0;
    let position = start;
    for (;;) {
      let fieldEnd: number;
      if (position < length && text.charCodeAt(position) === QUOTE) {
        let value = '';
        let segment = position + 1;
        let close: number;
        for (;;) {
          close = text.indexOf('"', segment);
          if (close === -1) {
            if (!final) return INCOMPLETE;
            throw this.malformed(
              text,
              start,
              position,
              'a quoted field is never closed (the file may be truncated)',
            );
          }
          if (close + 1 >= length && !final) return INCOMPLETE;
          if (text.charCodeAt(close + 1) !== QUOTE) break;
          value += text.slice(segment, close + 1);
          segment = close + 2;
        }
        value += text.slice(segment, close);
        breaks += countLineFeeds(value);
        fields.push(value);
        fieldEnd = close + 1;
        if (fieldEnd < length) {
          const code = text.charCodeAt(fieldEnd);
          if (code !== COMMA && code !== LF && code !== CR) {
            throw this.malformed(
              text,
              start,
              fieldEnd,
              'text follows a closing quote; quotes inside a field must be doubled',
            );
          }
        }
      } else {
        fieldEnd = position;
        while (fieldEnd < length) {
          const code = text.charCodeAt(fieldEnd);
          if (code === COMMA || code === LF || code === CR) break;
          if (code === QUOTE)
            throw this.malformed(text, start, fieldEnd, 'a quote appears inside an unquoted field');
          fieldEnd += 1;
        }
        if (fieldEnd >= length && !final) return INCOMPLETE;
        fields.push(text.slice(position, fieldEnd));
      }
      if (fieldEnd - start > this.maxRecordSize) throw this.tooLarge(this.nextLine);
      if (fieldEnd >= length) return this.emit(text, start, fieldEnd, fieldEnd, fields, breaks, out);
      const code = text.charCodeAt(fieldEnd);
      if (code === COMMA) {
        position = fieldEnd + 1;
        if (position >= length && !final) return INCOMPLETE;
        continue;
      }
      if (code === LF) return this.emit(text, start, fieldEnd, fieldEnd + 1, fields, breaks, out);
      if (fieldEnd + 1 >= length && !final) return INCOMPLETE;
      if (text.charCodeAt(fieldEnd + 1) !== LF) {
        throw this.malformed(text, start, fieldEnd, 'a carriage return is not followed by a line feed');
      }
      return this.emit(text, start, fieldEnd, fieldEnd + 2, fields, breaks, out);
    }
  }

  private emit(
    text: string,
    start: number,
    contentEnd: number,
    next: number,
    fields: string[],
    breaks: number,
    out: CsvRecord[],
  ): number {
    out.push({ line: this.nextLine, fields, raw: text.slice(start, contentEnd) });
    this.nextLine += 1 + breaks;
    return next;
  }

  private tooLarge(line: number): FileRejectionError {
    return new FileRejectionError(
      'RECORD_TOO_LARGE',
      `The record starting on line ${line} is longer than ${this.maxRecordSize} characters (an unclosed quote or a corrupt file). Ask the partner to check and resend the file.`,
      { line },
    );
  }

  private malformed(text: string, recordStart: number, at: number, what: string): FileRejectionError {
    const { line, column } = locate(text, recordStart, this.nextLine, at);
    return new FileRejectionError(
      'MALFORMED_CSV',
      `Malformed CSV at line ${line}, column ${column}: ${what}. Ask the partner to fix the quoting and resend the file.`,
      { line, column },
    );
  }
}

function countLineFeeds(value: string): number {
  let count = 0;
  for (let index = value.indexOf('\n'); index !== -1; index = value.indexOf('\n', index + 1)) count += 1;
  return count;
}

/** 1-based line and column of `at`, counting line feeds from the start of its record. */
function locate(
  text: string,
  recordStart: number,
  recordLine: number,
  at: number,
): { line: number; column: number } {
  let line = recordLine;
  let lineStart = recordStart;
  for (
    let index = text.indexOf('\n', recordStart);
    index !== -1 && index < at;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * Parse decoded text chunks into batches of records (one batch per chunk keeps the per-record cost low).
 * On a rejection, the records completed before it are yielded first, then the error is thrown.
 * @example for await (const batch of parseCsv(decodeStream(body, 'utf-8'))) for (const record of batch) …
 */
export async function* parseCsv(
  chunks: AsyncIterable<string>,
  options: CsvParserOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const parser = new StrictCsvParser(options);
  for await (const chunk of chunks) {
    const out: CsvRecord[] = [];
    try {
      parser.push(chunk, out);
    } catch (error) {
      // Hand over the records completed before the error, so the caller's counts cover every row read.
      if (out.length > 0) yield out;
      throw error;
    }
    if (out.length > 0) yield out;
  }
  const out: CsvRecord[] = [];
  try {
    parser.end(out);
  } finally {
    if (out.length > 0) yield out;
  }
}
