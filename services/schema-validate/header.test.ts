import { describe, expect, it } from 'vitest';
import { FileRejectionError } from './errors.ts';
import { checkHeader } from './header.ts';

const columns = ['id', 'amount', 'currency'];

function rejectionOf(fields: string[]): FileRejectionError {
  try {
    checkHeader(fields, columns);
  } catch (error) {
    if (error instanceof FileRejectionError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('checkHeader', () => {
  it('accepts the exact columns in order', () => {
    // Act / Assess
    expect(() => checkHeader(['id', 'amount', 'currency'], columns)).not.toThrow();
  });

  it.each([
    ['a duplicate column', ['id', 'amount', 'id'], 'DUPLICATE_HEADER', 'column "id" twice'],
    [
      'a semicolon-separated header',
      ['id;amount;currency'],
      'HEADER_MISMATCH',
      'got one column (it contains semicolons) — wrong delimiter?',
    ],
    ['a tab-separated header', ['id\tamount\tcurrency'], 'HEADER_MISMATCH', 'wrong delimiter?'],
    ['a missing column', ['id', 'amount'], 'HEADER_MISMATCH', 'column 3 "currency" is missing'],
    [
      'an extra column',
      ['id', 'amount', 'currency', 'x'],
      'HEADER_MISMATCH',
      'unexpected extra column 4 "x"',
    ],
    [
      'swapped columns',
      ['id', 'currency', 'amount'],
      'HEADER_MISMATCH',
      'column 2 is "currency", expected "amount"',
    ],
    ['a different case', ['ID', 'amount', 'currency'], 'HEADER_MISMATCH', 'column 1 is "ID"'],
    ['a padded name', ['id', ' amount', 'currency'], 'HEADER_MISMATCH', 'column 2 is " amount"'],
    [
      'a data row in line 1, card number masked',
      ['4111111111111111', 'amount', 'currency'],
      'HEADER_MISMATCH',
      'column 1 is "************1111"',
    ],
    ['a leftover BOM', ['\ufeffid', 'amount', 'currency'], 'HEADER_MISMATCH', 'column 1'],
  ])('rejects %s', (_name, fields, code, message) => {
    // Act
    const error = rejectionOf(fields);

    // Assess
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('names the duplicated column in the location', () => {
    // Act / Assess
    expect(rejectionOf(['id', 'amount', 'amount']).location).toEqual({ line: 1, field: 'amount' });
  });
});
