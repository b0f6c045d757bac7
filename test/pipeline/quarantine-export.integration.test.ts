import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { quarantineCommand } from '../../cli/commands/quarantine.ts';
import type { QuarantineFilter } from '../../cli/quarantine/current-quarantine.ts';
import { exportQuarantine, runtimeQuarantineSources } from '../../cli/quarantine/export-quarantine.ts';
import type { QuarantineFormat } from '../../cli/quarantine/format.ts';
import type { QuarantineRow } from '../../cli/quarantine/quarantine-row.ts';
import { containsCardNumber } from '../../lib/card-data/card-numbers.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { type CsvRecord, StrictCsvParser } from '../../services/schema-validate/csv/strict-csv-parser.ts';
import { csvLine, joinLines } from '../sample-data/csv.ts';
import { CORPUS_PAN } from '../sample-data/hostile-corpus.ts';
import { TRANSACTION_COLUMNS } from '../sample-data/rows.ts';
import { configureTestEnvironment, landAndSettle, startTestPipeline } from './support.ts';

const DATE = '2026-11-23';
const LATER = '2026-11-24';
const AT = `${DATE}T10:00:00+01:00`;
type Column = (typeof TRANSACTION_COLUMNS)[number];

function row(id: string, over: Partial<Record<Column, string>> = {}): string[] {
  const base: Record<string, string> = {
    transaction_id: id,
    type: 'payment',
    amount: '10.00',
    currency: 'EUR',
    occurred_at: AT,
    merchant_id: 'm_qx',
    settlement_reference: '',
    card_number: '',
    ...over,
  };
  return TRANSACTION_COLUMNS.map((column) => base[column] as string);
}

const clean = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => row(`${prefix}_${index + 1}`));

/** A globex-pay transactions delivery (trailer optional) of these records. */
function delivery(date: string, name: string, records: string[][]) {
  return {
    landingKey: `inbound/globex-pay/transactions/${date}/${name}.csv`,
    bytes: new TextEncoder().encode(
      joinLines([csvLine(TRANSACTION_COLUMNS), ...records.map((r) => csvLine(r))], '\n'),
    ),
  };
}

/** Five bad rows with formula-led values among 25 clean ones: 16.7 % quarantined, under the 20 % limit. */
const QUARANTINED = [
  row('=HYPERLINK("http://x")', { amount: '-1+2' }),
  row('+cmd', { merchant_id: '@SUM(A1) ' }),
  row('tx_qx_tab', { merchant_id: '\tcmd' }),
  row('tx_qx_card', { merchant_id: `m_${CORPUS_PAN}x` }),
  ['tx_qx_ragged', 'payment', '10.00', 'EUR', AT, 'a, "quoted"\nline'],
];
const VALIDATED_FILE = delivery(DATE, 'quarantine-export', [...clean('tx_qx', 25), ...QUARANTINED]);
/** Two bad of four: refused as a whole (QUARANTINE_RATE_EXCEEDED), its two rows still quarantined. */
const REJECTED_FILE = delivery(LATER, 'quarantine-export-rejected', [
  ...clean('tx_qr', 2),
  row('-2+3', { amount: '=1' }),
  row('tx_qr_lead', { merchant_id: ' m_lead' }),
]);

/** Column positions in the CSV (cli/quarantine/format.ts). */
const COLUMN = {
  file_outcome: 4,
  row_number: 5,
  field: 6,
  reason_code: 7,
  row_id: 9,
  value: 10,
  record: 11,
} as const;
const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

function parseCsv(text: string): string[][] {
  const out: CsvRecord[] = [];
  const parser = new StrictCsvParser();
  parser.push(text, out);
  parser.end(out);
  return out.map((record) => record.fields);
}

describe('finledger quarantine on a pipeline run', () => {
  let stateDir: string;
  let runtime: Runtime;

  const exported = async (filter: QuarantineFilter, format: QuarantineFormat) => {
    let text = '';
    const summary = await exportQuarantine(runtimeQuarantineSources(runtime), filter, format, (chunk) => {
      text += chunk;
    });
    return { text, summary };
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-quarantine-export-'));
    configureTestEnvironment();
    runtime = await startTestPipeline({ stateDir });
    await landAndSettle(runtime, [VALIDATED_FILE, REJECTED_FILE], 120_000);
  });

  afterAll(async () => {
    await runtime?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('exports the quarantined rows of a date as CSV whose every formula-led cell is neutralised', async () => {
    // Act
    const { text, summary } = await exported({ date: DATE }, 'csv');
    const [header, ...records] = parseCsv(text);

    // Assess
    expect(summary).toMatchObject({ rows: 5, files: 1, open: [], unannounced: [] });
    expect(header).toEqual([
      'file_id',
      'partner',
      'dataset',
      'business_date',
      'file_outcome',
      'row_number',
      'field',
      'reason_code',
      'reason',
      'row_id',
      'value',
      'record',
    ]);
    expect(records).toHaveLength(QUARANTINED.length);
    expect(text.match(/\r\n/g)?.length).toBeGreaterThanOrEqual(records.length + 1);
    const pick = (...columns: (keyof typeof COLUMN)[]) =>
      records.map((fields) => columns.map((column) => fields[COLUMN[column]]));
    expect(pick('row_number', 'field', 'reason_code', 'row_id', 'value')).toEqual([
      ['27', 'amount', 'INVALID_VALUE', `'=HYPERLINK("http://x")`, "'-1+2"],
      ['28', 'merchant_id', 'INVALID_VALUE', "'+cmd", "'@SUM(A1) "],
      ['29', 'merchant_id', 'HIDDEN_CHARACTER', 'tx_qx_tab', "'\tcmd"],
      ['30', 'merchant_id', 'CARD_NUMBER', 'tx_qx_card', 'm_************4444x'],
      ['31', '', 'RAGGED_ROW', '', ''],
    ]);
    expect(records[4]?.[COLUMN.record]).toBe(
      'tx_qx_ragged,payment,10.00,EUR,2026-11-23T10:00:00+01:00,"a, ""quoted""\nline"',
    );
    for (const fields of records)
      for (const cell of fields)
        expect(FORMULA_TRIGGERS.includes(cell.charAt(0)), `cell ${JSON.stringify(cell)}`).toBe(false);
    expect(containsCardNumber(text)).toBe(false);
  });

  it("lists a refused file's quarantined rows with its rejection, file by file, as JSON", async () => {
    // Act
    const { text, summary } = await exported({ partner: 'globex-pay' }, 'json');
    const rows = JSON.parse(text) as QuarantineRow[];

    // Assess
    expect(summary.rows).toBe(QUARANTINED.length + 2);
    expect(rows.map((each) => [each.businessDate, each.rowNumber, each.fileOutcome])).toEqual([
      ...QUARANTINED.map((_, index) => [DATE, 27 + index, 'VALIDATED']),
      [LATER, 4, 'REJECTED QUARANTINE_RATE_EXCEEDED'],
      [LATER, 5, 'REJECTED QUARANTINE_RATE_EXCEEDED'],
    ]);
    expect(rows[5]).toMatchObject({ rowId: '-2+3', field: 'amount', value: '=1' });
    expect(containsCardNumber(text)).toBe(false);
  });

  it('prints the same CSV from the state folder through the CLI, and says on stderr when nothing matches', async () => {
    // Prepare
    const { text: expected } = await exported({ date: DATE }, 'csv');
    await runtime.stop();
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});

    try {
      // Act
      const found = await quarantineCommand(['--state-dir', stateDir, '--date', DATE, '--csv'], stateDir);
      const csv = stdout;
      stdout = '';
      const none = await quarantineCommand(['--state-dir', stateDir, '--partner', 'initech-acq'], stateDir);

      // Assess
      expect([found, none]).toEqual([0, 0]);
      expect(csv).toBe(expected);
      expect(stdout).toBe('');
      expect(stderr.mock.calls.map(([message]) => String(message))).toEqual([
        'quarantine: 5 quarantined row(s) in 1 file(s).',
        'quarantine: no quarantined rows in the current run of any file (partner initech-acq).',
      ]);
    } finally {
      write.mockRestore();
      stderr.mockRestore();
    }
  });
});
