import type { SchemaElement } from 'hyparquet';
import { ByteWriter, type ColumnSource, ParquetWriter, parquetWriteBuffer } from 'hyparquet-writer';
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

/** Rows per row group: what a part holds in JavaScript at once, whatever its size. */
export const ROW_GROUP_ROWS = 100_000;

/** Named when only schema-validate wrote parts; kept because every part's footer carries it (dedup's too), so
 * renaming it would change the bytes of every part written from then on. */
const CREATED_BY = 'finledger schema-validate';

/**
 * One Parquet part written a row group at a time: rows go into column buffers; every `rowGroupRows` rows they are
 * encoded as the part's next row group (Snappy) and emptied, so JavaScript holds one row group of values and the
 * part's encoded bytes, never the part's rows. A part of at most one row group is written in one go (the same bytes
 * as before parts had several).
 * @example const part = new ParquetPartBuffer(TransactionsV1.silverColumns, lineage); part.append(values, 2); part.finish()
 */
export class ParquetPartBuffer {
  private readonly columns: readonly SilverColumn[];
  private readonly allColumns: readonly SilverColumn[];
  private readonly schema: SchemaElement[];
  private data: SilverValue[][];
  private rowNumbers: bigint[] = [];
  /** The part being written, once its first row group is full; its rows so far. */
  private open: { readonly writer: ParquetWriter; readonly bytes: ByteWriter } | undefined;
  private encodedRows = 0;

  constructor(
    datasetColumns: readonly SilverColumn[],
    private readonly lineage: PartLineage,
    private readonly rowGroupRows: number = ROW_GROUP_ROWS,
  ) {
    this.columns = datasetColumns;
    const all = [...datasetColumns, ...LINEAGE_COLUMNS];
    this.allColumns = all;
    this.schema = [{ name: 'root', num_children: all.length }, ...all.map(schemaElementOf)];
    this.data = datasetColumns.map(() => []);
  }

  /** Rows of the part so far (encoded row groups and buffered rows). */
  get rowCount(): number {
    return this.encodedRows + this.rowNumbers.length;
  }

  /** Rows held as JavaScript values right now (never more than a row group). */
  get bufferedRows(): number {
    return this.rowNumbers.length;
  }

  /** Add one row: dataset values in column order, plus the physical line it came from. */
  append(values: readonly SilverValue[], rowNumber: number): void {
    for (let index = 0; index < this.data.length; index += 1)
      (this.data[index] as SilverValue[]).push(values[index] ?? null);
    this.rowNumbers.push(BigInt(rowNumber));
    if (this.rowNumbers.length >= this.rowGroupRows) this.encodeRowGroup();
  }

  /** Encode the part's rows as one Parquet file (Snappy) and start a new part. */
  finish(): Uint8Array {
    if (!this.open) {
      const rows = this.rowNumbers.length;
      const buffer = parquetWriteBuffer({
        columnData: this.columnData(),
        schema: this.schema,
        rowGroupSize: Math.max(rows, 1),
        createdBy: CREATED_BY,
      });
      this.clear();
      return new Uint8Array(buffer);
    }
    if (this.rowNumbers.length > 0) this.encodeRowGroup();
    const { writer, bytes } = this.open;
    writer.finish();
    this.open = undefined;
    this.encodedRows = 0;
    return new Uint8Array(bytes.getBuffer());
  }

  private encodeRowGroup(): void {
    if (!this.open) {
      const bytes = new ByteWriter();
      this.open = {
        bytes,
        writer: new ParquetWriter({ writer: bytes, schema: this.schema, createdBy: CREATED_BY }),
      };
    }
    const rows = this.rowNumbers.length;
    this.open.writer.write({ columnData: this.columnData(), rowGroupSize: rows });
    this.encodedRows += rows;
    this.clear();
  }

  private clear(): void {
    this.data = this.columns.map(() => []);
    this.rowNumbers = [];
  }

  /** The buffered rows as the writer's columns, lineage added. */
  private columnData(): ColumnSource[] {
    const rows = this.rowNumbers.length;
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
    return [...this.data, ...lineage].map((data, index) => {
      const text = this.allColumns[index]?.type === 'STRING';
      return {
        name: (this.schema[index + 1] as SchemaElement).name,
        data: text ? stringColumn(data) : data,
        statistics: !text,
      };
    });
  }
}
