import { describe, expect, it } from 'vitest';
import { neutraliseFormula, spreadsheetCsvCell } from './spreadsheet-safe.ts';

describe('neutraliseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1+1', "'+1+1"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['\n=1+1', "'\n=1+1"],
    ['\0=1', "'\0=1"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('prefixes %j with a single quote', (text, expected) => {
    // Act / Assess
    expect(neutraliseFormula(text)).toBe(expected);
  });

  it.each(['', 'tx-1', 'café', ' =1+1', "'=already", '1+1', 'a=b', 'Müller-Lüdenscheidt'])(
    'leaves %j as it is',
    (text) => {
      // Act / Assess
      expect(neutraliseFormula(text)).toBe(text);
    },
  );
});

describe('spreadsheetCsvCell', () => {
  it.each([
    ['plain text', 'tx-1', 'text', 'tx-1'],
    ['an empty cell', '', 'text', ''],
    ['a formula', '=1+1', 'text', "'=1+1"],
    ['a comma', 'a,b', 'text', '"a,b"'],
    ['quotes, doubled', 'say "hi"', 'text', '"say ""hi"""'],
    ['a line break', 'a\nb', 'text', '"a\nb"'],
    ['a CR', 'a\rb', 'text', '"a\rb"'],
    [
      'a formula that also needs quotes',
      '=HYPERLINK("http://x","y")',
      'text',
      '"\'=HYPERLINK(""http://x"",""y"")"',
    ],
    ['a formula hiding behind a line break', '\n=1+1', 'text', '"\'\n=1+1"'],
    ['a negative amount in a number column', '-12.50', 'number', '-12.50'],
    ['a positive amount in a number column', '1050', 'number', '1050'],
    ['a negative amount in a text column', '-12.50', 'text', "'-12.50"],
    ['an expression in a number column', '-1+2', 'number', "'-1+2"],
    ['a formula in a number column', '=1', 'number', "'=1"],
    ['a signed exponent in a number column', '-1e3', 'number', "'-1e3"],
    ['a plus-signed number in a number column', '+5', 'number', "'+5"],
  ] as const)('writes %s (%j, %s) as %j', (_name, value, kind, expected) => {
    // Act / Assess
    expect(spreadsheetCsvCell(value, kind)).toBe(expected);
  });

  it('treats a cell as text unless told otherwise', () => {
    // Act / Assess
    expect(spreadsheetCsvCell('-3')).toBe("'-3");
  });
});
