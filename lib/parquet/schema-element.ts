import type { SchemaElement } from 'hyparquet';
import type { SilverColumn } from '../../contracts/datasets/dataset-contract.ts';

/**
 * Parquet schema element of one silver column; money is INT64, instants are UTC microseconds.
 * @example schemaElementOf({ name: 'amount_minor', type: 'INT64', nullable: false, description: '' }) // { name: 'amount_minor', type: 'INT64', repetition_type: 'REQUIRED' }
 */
export function schemaElementOf(column: SilverColumn): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (column.type) {
    case 'STRING':
      return { name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
    case 'INT32':
      return { name: column.name, type: 'INT32', repetition_type };
    case 'INT64':
      return { name: column.name, type: 'INT64', repetition_type };
    case 'DATE':
      return { name: column.name, type: 'INT32', converted_type: 'DATE', repetition_type };
    case 'TIMESTAMP_MICROS':
      return {
        name: column.name,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        repetition_type,
      };
  }
}
