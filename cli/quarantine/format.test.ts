import { describe, expect, it } from 'vitest';
import { type CsvRecord, StrictCsvParser } from '../../services/schema-validate/csv/strict-csv-parser.ts';
import { QUARANTINE_CSV_HEADER, quarantineCsvRecord, rowWriter, visible } from './format.ts';
import type { QuarantineRow } from './quarantine-row.ts';

function row(over: Partial<QuarantineRow> = {}): QuarantineRow {
  return {
    fileId: 'f_1',
    partner: 'globex-pay',
    dataset: 'transactions',
    businessDate: '2026-11-23',
    fileOutcome: 'VALIDATED',
    rowNumber: 7,
    field: 'merchant_id',
    reasonCode: 'INVALID_VALUE',
    reason: 'merchant_id has leading or trailing whitespace or a line break',
    rowId: 'tx_1',
    value: 'm_1',
    record: 'tx_1,payment,10.00,EUR,2026-11-23T10:00:00+01:00,m_1,,',
    ...over,
  };
}

function parseCsv(text: string): string[][] {
  const out: CsvRecord[] = [];
  const parser = new StrictCsvParser();
  parser.push(text, out);
  parser.end(out);
  return out.map((record) => record.fields);
}

/** Column positions in the CSV (see CSV_COLUMNS). */
const ROW_NUMBER = 5;
const ROW_ID = 9;
const VALUE = 10;

describe('quarantine CSV formatting', () => {
  it.each([
    [
      'a HYPERLINK formula',
      '=HYPERLINK("http://x")',
      `"'=HYPERLINK(""http://x"")"`,
      `'=HYPERLINK("http://x")`,
    ],
    ['a plus-led command', '+cmd', "'+cmd", "'+cmd"],
    ['an at-led function', '@SUM(A1)', "'@SUM(A1)", "'@SUM(A1)"],
    ['a minus-led sum', '-1+2', "'-1+2", "'-1+2"],
    ['a number-looking text', '-12.50', "'-12.50", "'-12.50"],
    ['a tab-led value', '\tcmd', "'\tcmd", "'\tcmd"],
    ['a CR-led value', '\rcmd', `"'\rcmd"`, "'\rcmd"],
    ['commas, quotes and a line break', 'a, "b"\nc', '"a, ""b""\nc"', 'a, "b"\nc'],
    ['plain text', 'm_1', 'm_1', 'm_1'],
  ])('writes %s in a text cell as %j', (_name, value, written, readBack) => {
    // Act
    const record = quarantineCsvRecord(row({ value }));

    // Assess
    expect(record).toContain(`,tx_1,${written},"tx_1,payment,`);
    expect(parseCsv(record)[0]?.[VALUE]).toBe(readBack);
  });

  it('neutralises the id and the whole record as text, and keeps the row number a number', () => {
    // Prepare
    const formulaRow = row({ rowId: '=1+1', record: '=1+1,payment,-1+2', value: null, field: null });

    // Act
    const [fields] = parseCsv(quarantineCsvRecord(formulaRow));

    // Assess
    expect(fields?.[ROW_NUMBER]).toBe('7');
    expect(fields?.[ROW_ID]).toBe("'=1+1");
    expect(fields?.[VALUE]).toBe('');
    expect(fields?.at(-1)).toBe("'=1+1,payment,-1+2");
  });

  it('writes a header and one CRLF-ended record per row that parse back to the same cells', () => {
    // Prepare
    const rows = [
      row({ value: '=HYPERLINK("http://x")' }),
      row({ rowNumber: 8, value: 'a, "b"\nc', record: '"x\ny",2' }),
      row({ rowNumber: 9, value: '@SUM(A1)' }),
    ];
    const writer = rowWriter('csv');

    // Act
    const text = writer.begin() + rows.map((each) => writer.row(each)).join('') + writer.end();
    const records = parseCsv(text);

    // Assess
    expect(text.startsWith(`${QUARANTINE_CSV_HEADER}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(records).toHaveLength(4);
    expect(records[0]?.[ROW_NUMBER]).toBe('row_number');
    expect(records.slice(1).map((fields) => fields[VALUE])).toEqual([
      `'=HYPERLINK("http://x")`,
      'a, "b"\nc',
      "'@SUM(A1)",
    ]);
    expect(records[2]?.at(-1)).toBe('"x\ny",2');
  });

  it.each([
    ['no rows', 0],
    ['two rows', 2],
  ])('writes JSON that parses as an array with %s', (_name, count) => {
    // Prepare
    const writer = rowWriter('json');

    // Act
    const text =
      writer.begin() +
      Array.from({ length: count }, (_, index) => writer.row(row({ rowNumber: index + 2 }))).join('') +
      writer.end();

    // Assess
    expect((JSON.parse(text) as QuarantineRow[]).map((each) => each.rowNumber)).toEqual(
      Array.from({ length: count }, (_, index) => index + 2),
    );
  });

  it('shows tabs, bidi overrides and zero-width characters by code point in the table', () => {
    // Prepare
    const writer = rowWriter('table');

    // Act
    const text = writer.row(row({ value: '\tm\u202e1\u200b', record: 'a\r\nb' }));

    // Assess
    expect(text).toContain('id [tx_1]  merchant_id [<U+0009>m<U+202E>1<U+200B>]');
    expect(text).toContain('record a<U+000D><U+000A>b\n');
    expect(text.split('\n')[0]).toBe('globex-pay transactions 2026-11-23  file f_1  VALIDATED');
    expect(visible('plain')).toBe('plain');
  });
});
