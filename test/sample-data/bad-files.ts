import { findPartner, type PartnerSpec } from '../../config/partners.ts';
import type { RejectionCode } from '../../contracts/events/file-rejected.ts';
import { csvLine, joinLines, trailerLine } from './csv.ts';
import { latin1Bytes } from './encoding.ts';
import { addTo, type MinorSums, trailerSums } from './money.ts';
import { createRandom, seedFor } from './prng.ts';
import { parseMinor, TRANSACTION_COLUMNS, type TransactionRow, transactionRow } from './rows.ts';

/** Where a whole-file problem is expected to be reported. */
export type ExpectedLocation = { line?: number; byteOffset?: number; field?: string };

export type BadFileExpectation =
  /** The whole file is refused with this code. */
  | { outcome: 'rejected'; code: RejectionCode; location?: ExpectedLocation }
  /** The file is accepted but this row is quarantined. */
  | { outcome: 'row-quarantined'; row: number; line: number; validRows: number; quarantinedRows: number }
  /** The file is accepted as a whole (a hazard that must be absorbed, such as a BOM). */
  | { outcome: 'accepted'; validRows: number };

export interface BadFile {
  name: BadFileName;
  landingKey: string;
  partner: string;
  dataset: 'transactions';
  businessDate: string;
  bytes: Uint8Array;
  expected: BadFileExpectation;
}

export type BadFileName =
  | 'empty'
  | 'header-only'
  | 'wrong-delimiter'
  | 'duplicate-header'
  | 'truncated-trailer-missing'
  | 'truncated-last-line'
  | 'unclosed-quote'
  | 'latin1-in-utf8'
  | 'huge-field'
  | 'utf8-bom';

/** Size of the single oversized field in `huge-field`. */
export const HUGE_FIELD_BYTES = 10 * 1024 * 1024;
const ROWS = 5;

/**
 * Named hostile files, each with the outcome a correct pipeline must reach. `acme-bank` requires a trailer;
 * `globex-pay` does not, so truncation there can only surface as a bad row.
 * @example badFiles().find((file) => file.name === 'empty')?.expected // { outcome: 'rejected', code: 'EMPTY_FILE' }
 */
export function badFiles(options: { seed?: number; date?: string } = {}): BadFile[] {
  const date = options.date ?? '2026-11-19';
  const seed = options.seed ?? 1;
  const acme = partner('acme-bank');
  const globex = partner('globex-pay');
  const encoder = new TextEncoder();
  const file = (
    name: BadFileName,
    spec: PartnerSpec,
    bytes: Uint8Array,
    expected: BadFileExpectation,
  ): BadFile => ({
    name,
    landingKey: `inbound/${spec.id}/transactions/${date}/bad-${name}.csv`,
    partner: spec.id,
    dataset: 'transactions',
    businessDate: date,
    bytes,
    expected,
  });

  const acmeRows = rows(seed, acme, date);
  const acmeText = document(acmeRows, true);
  const globexRows = rows(seed, globex, date);
  const globexLines = [csvLine(TRANSACTION_COLUMNS), ...globexRows.map((row) => csvLine(row))];
  const lastLine = globexLines.length;
  const cut = (line: string) => line.slice(0, line.lastIndexOf(',') - 4);

  const latin1Row = acmeRows.map((row) => [...row]);
  (latin1Row[0] as string[])[5] = 'm_café';
  const latin1Text = document(latin1Row, true);
  const latin1 = latin1Bytes(latin1Text);

  const huge = globexRows.map((row) => [...row]);
  (huge[0] as string[])[5] = 'x'.repeat(HUGE_FIELD_BYTES);

  return [
    file('empty', acme, new Uint8Array(0), { outcome: 'rejected', code: 'EMPTY_FILE' }),
    file('header-only', acme, encoder.encode(joinLines([csvLine(TRANSACTION_COLUMNS)], '\n')), {
      outcome: 'rejected',
      code: 'HEADER_ONLY',
    }),
    file('wrong-delimiter', acme, encoder.encode(document(acmeRows, true, ';')), {
      outcome: 'rejected',
      code: 'HEADER_MISMATCH',
      location: { line: 1 },
    }),
    file('duplicate-header', acme, encoder.encode(acmeText.replace(',currency,', ',amount,')), {
      outcome: 'rejected',
      code: 'DUPLICATE_HEADER',
      location: { line: 1, field: 'amount' },
    }),
    file(
      'truncated-trailer-missing',
      acme,
      encoder.encode(acmeText.slice(0, acmeText.lastIndexOf('TRAILER') - 9)),
      {
        outcome: 'rejected',
        code: 'TRAILER_MISSING',
      },
    ),
    file(
      'truncated-last-line',
      globex,
      encoder.encode(`${[...globexLines.slice(0, -1), cut(globexLines[lastLine - 1] as string)].join('\n')}`),
      {
        outcome: 'row-quarantined',
        row: ROWS,
        line: lastLine,
        validRows: ROWS - 1,
        quarantinedRows: 1,
      },
    ),
    file(
      'unclosed-quote',
      globex,
      encoder.encode(`${globexLines.slice(0, -1).join('\n')}\n"${globexLines[lastLine - 1]}\n`),
      {
        outcome: 'rejected',
        code: 'MALFORMED_CSV',
        location: { line: lastLine },
      },
    ),
    file('latin1-in-utf8', acme, latin1, {
      outcome: 'rejected',
      code: 'ENCODING_INVALID',
      location: { byteOffset: latin1.indexOf(0xe9), line: 2 },
    }),
    file(
      'huge-field',
      globex,
      encoder.encode(joinLines([csvLine(TRANSACTION_COLUMNS), ...huge.map((row) => csvLine(row))], '\n')),
      {
        outcome: 'rejected',
        code: 'RECORD_TOO_LARGE',
        location: { line: 2 },
      },
    ),
    file('utf8-bom', acme, encoder.encode(`\ufeff${acmeText}`), { outcome: 'accepted', validRows: ROWS }),
  ];

  /** Header, rows and (optionally) a correct trailer, LF-terminated. */
  function document(fields: string[][], withTrailer: boolean, delimiter = ','): string {
    const sums: MinorSums = new Map();
    for (const row of fields) addTo(sums, row[3] as string, parseMinor(row[2] as string, row[3] as string));
    const lines = [csvLine(TRANSACTION_COLUMNS, delimiter), ...fields.map((row) => csvLine(row, delimiter))];
    if (withTrailer) lines.push(trailerLine(fields.length, trailerSums(sums)).replaceAll(',', delimiter));
    return joinLines(lines, '\n');
  }
}

function rows(seed: number, spec: PartnerSpec, date: string): string[][] {
  const random = createRandom(seedFor(seed, `bad-files/${spec.id}/${date}`));
  return Array.from({ length: ROWS }, () => {
    const row: TransactionRow = transactionRow(random, spec, date);
    return TRANSACTION_COLUMNS.map((column) => row[column]);
  });
}

function partner(id: string): PartnerSpec {
  const spec = findPartner(id);
  if (!spec) throw new Error(`Sample data needs partner ${id} in config/partners.ts`);
  return spec;
}
