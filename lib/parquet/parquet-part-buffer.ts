import type { SchemaElement } from 'hyparquet';
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import {
  LINEAGE_COLUMNS,
  type SilverColumn,
  type SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';
import { dateToEpochDays } from '../../contracts/datasets/fields.ts';
import { schemaElementOf } from './schema-element.ts';

/** Values every row of one file shares; written as constant lineage columns. */
export interface PartLineage {
  readonly partner: string;
  readonly businessDate: string;
  readonly fileId: string;
  readonly sha256: string;
  readonly runId: string;
  readonly schemaV: number;
}

const encoder = new TextEncoder();

/**
 * A string column as the writer should get it. Mostly-distinct columns (ids, references) are not
 * dictionary-encoded, so the writer would `TextEncoder.encode` every cell, an ArrayBuffer each (~4× slower than
 * `encodeInto` views of one buffer). Repetitive columns stay strings: the writer dictionary-encodes them with
 * V8 string hashing and encodes only the distinct values.
 */
function stringColumn(values: SilverValue[]): SilverValue[] | (Uint8Array | null)[] {
  const sampleSize = Math.min(values.length, 1000);
  const sample = new Set<SilverValue>();
  for (let index = 0; index < sampleSize; index += 1) {
    sample.add(values[Math.floor((index * values.length) / sampleSize)] ?? null);
  }
  if (sample.size <= sampleSize * 0.9) return values;
  let capacity = 0;
  for (const value of values) if (typeof value === 'string') capacity += value.length * 3;
  const buffer = new Uint8Array(capacity);
  let offset = 0;
  return values.map((value) => {
    if (value === null) return null;
    const { written } = encoder.encodeInto(String(value), buffer.subarray(offset));
    const view = buffer.subarray(offset, offset + written);
    offset += written;
    return view;
  });
}

/**
 * Column buffers for one Parquet part of at most `maxRows` rows: rows go in, one Parquet file comes out and
 * the buffers are emptied, so memory is bounded by the part size, never the file size.
 * @example const part = new ParquetPartBuffer(TransactionsV1.silverColumns, lineage); part.append(values, 2); part.finish()
 */
export class ParquetPartBuffer {
  private readonly columns: readonly SilverColumn[];
  private readonly allColumns: readonly SilverColumn[];
  private readonly schema: SchemaElement[];
  private data: SilverValue[][];
  private rowNumbers: bigint[] = [];

  constructor(
    datasetColumns: readonly SilverColumn[],
    private readonly lineage: PartLineage,
  ) {
    this.columns = datasetColumns;
    const all = [...datasetColumns, ...LINEAGE_COLUMNS];
    this.allColumns = all;
    this.schema = [{ name: 'root', num_children: all.length }, ...all.map(schemaElementOf)];
    this.data = datasetColumns.map(() => []);
  }

  get rowCount(): number {
    return this.rowNumbers.length;
  }

  /** Add one row: dataset values in column order, plus the physical line it came from. */
  append(values: readonly SilverValue[], rowNumber: number): void {
    for (let index = 0; index < this.data.length; index += 1)
      (this.data[index] as SilverValue[]).push(values[index] ?? null);
    this.rowNumbers.push(BigInt(rowNumber));
  }

  /** Encode the buffered rows as one Parquet file (one row group, Snappy) and empty the buffers. */
  finish(): Uint8Array {
    const rows = this.rowCount;
    const constant = <T>(value: T): T[] => new Array<T>(rows).fill(value);
    // Strings stay strings: the writer builds dictionaries on them (V8 string hashing) and encodes only the
    // distinct values, so a constant lineage column costs one dictionary entry.
    const lineage: SilverValue[][] = [
      constant(this.lineage.partner),
      constant(dateToEpochDays(this.lineage.businessDate)),
      constant(this.lineage.fileId),
      constant(this.lineage.sha256),
      this.rowNumbers,
      constant(this.lineage.runId),
      constant(this.lineage.schemaV),
    ];
    // Min/max statistics only where readers prune on them (numbers, dates, instants); for free text they
    // cost a third of the write time and prune nothing.
    const columnData: ColumnSource[] = [...this.data, ...lineage].map((data, index) => {
      const text = this.allColumns[index]?.type === 'STRING';
      return {
        name: (this.schema[index + 1] as SchemaElement).name,
        data: text ? stringColumn(data) : data,
        statistics: !text,
      };
    });
    const buffer = parquetWriteBuffer({
      columnData,
      schema: this.schema,
      rowGroupSize: Math.max(rows, 1),
      // Named when only schema-validate wrote parts; kept because every part's footer carries it (dedup's too),
      // so renaming it would change the bytes of every part written from then on.
      createdBy: 'finledger schema-validate',
    });
    this.data = this.columns.map(() => []);
    this.rowNumbers = [];
    return new Uint8Array(buffer);
  }
}
