import { z } from 'zod';
import type { DatasetContract } from '../../contracts/datasets/dataset-contract.ts';
import { type CsvRecord, StrictCsvParser } from '../../services/schema-validate/csv/strict-csv-parser.ts';
import { type QuarantineReasonCode, quarantineReasonCode } from './reason-code.ts';

/** One quarantine JSON line as schema-validate writes it (services/schema-validate/file-outputs.ts). */
export const QuarantineEntrySchema = z.object({
  rowNumber: z.number().int().positive(),
  field: z.string().nullable(),
  reason: z.string(),
  maskedLine: z.string(),
});

/** The file a quarantined row came from: its current run, validated or rejected as a whole. */
export interface QuarantineFile {
  readonly fileId: string;
  readonly partner: string;
  readonly dataset: string;
  readonly businessDate: string;
  /** `VALIDATED`, or `REJECTED <code>` (its rows were read before the file was refused; none reached silver). */
  readonly fileOutcome: string;
}

/** One quarantined row for an operator or a partner; every text as stored, card numbers masked. */
export interface QuarantineRow extends QuarantineFile {
  /** Physical line the record starts on (the header is line 1). */
  readonly rowNumber: number;
  /** First failing column, or null when the record as a whole is wrong. */
  readonly field: string | null;
  readonly reasonCode: QuarantineReasonCode;
  readonly reason: string;
  /** The record's natural id (without the partner), or null when the record's fields cannot be placed. */
  readonly rowId: string | null;
  /** The failing field's value as received (masked), or null when the record as a whole failed. */
  readonly value: string | null;
  /** The whole record as received (masked): what to send back to the partner. */
  readonly record: string;
}

/**
 * A quarantine entry as an export row: the reason's code, and the id and failing value read from the stored
 * (masked) record by the dataset's contract. A record whose field count is not the contract's has no id or value:
 * its columns cannot be placed.
 * @example quarantineRow(file, { rowNumber: 7, field: 'amount', reason: 'amount …', maskedLine: 'tx-1,payment,-1+2,…' }, TransactionsV1)
 */
export function quarantineRow(
  file: QuarantineFile,
  entry: z.infer<typeof QuarantineEntrySchema>,
  contract: DatasetContract | undefined,
): QuarantineRow {
  const columns = contract?.columns ?? [];
  const fields = contract ? fieldsOf(entry.maskedLine) : null;
  const placed = fields?.length === columns.length ? fields : null;
  const cellOf = (column: string): string | undefined => placed?.[columns.indexOf(column)];
  const idParts = (contract?.naturalKey ?? []).filter((column) => column !== 'partner').map(cellOf);
  return {
    ...file,
    rowNumber: entry.rowNumber,
    field: entry.field,
    reasonCode: quarantineReasonCode(entry.field, entry.reason),
    reason: entry.reason,
    rowId: idParts.length > 0 && idParts.every((part) => part !== undefined) ? idParts.join('|') : null,
    value: entry.field === null ? null : (cellOf(entry.field) ?? null),
    record: entry.maskedLine,
  };
}

/** The fields of one stored record, or null when it does not read back as exactly one CSV record. */
function fieldsOf(line: string): string[] | null {
  const out: CsvRecord[] = [];
  try {
    const parser = new StrictCsvParser();
    parser.push(line, out);
    parser.end(out);
  } catch {
    return null;
  }
  return out.length === 1 ? (out[0]?.fields ?? null) : null;
}
