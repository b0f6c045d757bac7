import { describe, expect, it } from 'vitest';
import { schemaElementOf } from './schema-element.ts';

describe('schemaElementOf', () => {
  it.each([
    [
      { name: 'a', type: 'INT64', nullable: false, description: '' },
      { type: 'INT64', repetition_type: 'REQUIRED' },
    ],
    [
      { name: 'a', type: 'STRING', nullable: true, description: '' },
      { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
    [
      { name: 'a', type: 'DATE', nullable: false, description: '' },
      { type: 'INT32', converted_type: 'DATE' },
    ],
    [
      { name: 'a', type: 'TIMESTAMP_MICROS', nullable: false, description: '' },
      { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
    ],
  ] as const)('maps %o to a Parquet schema element', (column, expected) => {
    // Act / Assess
    expect(schemaElementOf(column)).toMatchObject(expected);
  });
});
