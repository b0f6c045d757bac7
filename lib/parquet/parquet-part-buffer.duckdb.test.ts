import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import { ParquetPartBuffer } from './parquet-part-buffer.ts';

const folder = mkdtempSync(join(tmpdir(), 'parquet-part-duckdb-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const lineage = {
  partner: 'acme-bank',
  businessDate: '2024-03-01',
  fileId: 'f_0123',
  sha256: 'a'.repeat(64),
  runId: 'run_1',
  schemaV: 1,
};

describe('a silver Parquet part read by DuckDB', () => {
  it('sums INT64 minor units exactly, past 2^53, with the declared types', async () => {
    // Prepare
    const contract = findDataset('transactions', 1);
    if (!contract) throw new Error('No contract transactions v1');
    const part = new ParquetPartBuffer(contract.silverColumns, lineage);
    const row = (id: string, amount: bigint, currency: string) => [
      id,
      'payment',
      amount,
      currency,
      2,
      1709283600123456n,
      '2024-03-01T10:00:00.123456+01:00',
      'm',
      null,
      null,
      null,
      null,
    ];
    part.append(row('tx-1', 9007199254740993n, 'EUR'), 2);
    part.append(row('tx-2', 2n, 'EUR'), 3);
    part.append(row('tx-3', -310n, 'USD'), 4);
    const path = join(folder, 'part-00000.parquet');
    writeFileSync(path, part.finish());
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();

    // Act
    const sums = await connection.runAndReadAll(
      `SELECT currency, sum(amount_minor)::VARCHAR AS total, count(*)::INTEGER AS n FROM read_parquet('${path}') GROUP BY currency ORDER BY currency`,
    );
    const types = await connection.runAndReadAll(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path}'))`,
    );
    const first = await connection.runAndReadAll(
      `SELECT occurred_at::VARCHAR AS at, business_date::VARCHAR AS dt, _row_number::INTEGER AS line FROM read_parquet('${path}') LIMIT 1`,
    );
    connection.closeSync();

    // Assess
    expect(sums.getRowObjects()).toEqual([
      { currency: 'EUR', total: '9007199254740995', n: 2 },
      { currency: 'USD', total: '-310', n: 1 },
    ]);
    const columnTypes = Object.fromEntries(
      types.getRows().map(([name, type]) => [String(name), String(type)]),
    );
    expect(columnTypes).toMatchObject({
      amount_minor: 'BIGINT',
      currency_exponent: 'INTEGER',
      occurred_at: 'TIMESTAMP WITH TIME ZONE',
      business_date: 'DATE',
      _row_number: 'BIGINT',
    });
    expect(columnTypes).not.toHaveProperty('card_number');
    expect(first.getRowObjects()[0]).toMatchObject({ dt: '2024-03-01', line: 2 });
    expect(String(first.getRowObjects()[0]?.at)).toMatch(/^2024-03-01 09:00:00\.123456/);
  });

  it('writes a part of several row groups, holding one row group of values at a time, read back row for row', async () => {
    // Prepare: 250 rows in row groups of 100, and the same rows in one group
    const contract = findDataset('transactions', 1);
    if (!contract) throw new Error('No contract transactions v1');
    const grouped = new ParquetPartBuffer(contract.silverColumns, lineage, 100);
    const whole = new ParquetPartBuffer(contract.silverColumns, lineage, 1000);
    const held: number[] = [];
    for (let line = 2; line < 252; line += 1) {
      const values = [`tx-${line}`, 'payment', BigInt(line * 7), line % 3 ? 'EUR' : 'USD', 2];
      const row = [...values, 1709283600123456n, '2024-03-01T10:00:00+01:00', 'm', null, null, null, null];
      grouped.append(row, line);
      whole.append(row, line);
      held.push(grouped.bufferedRows);
    }
    const paths = [join(folder, 'grouped.parquet'), join(folder, 'whole.parquet')];
    expect(grouped.rowCount).toBe(250);
    writeFileSync(paths[0] as string, grouped.finish());
    writeFileSync(paths[1] as string, whole.finish());
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();

    // Act
    const rows = async (path: string) =>
      (
        await connection.runAndReadAll(
          `SELECT transaction_id, amount_minor::VARCHAR, currency, _row_number::INTEGER FROM read_parquet('${path}')`,
        )
      ).getRows();
    const groups = await connection.runAndReadAll(
      `SELECT count(DISTINCT row_group_id)::INTEGER, max(row_group_num_rows)::INTEGER FROM parquet_metadata('${paths[0]}')`,
    );
    const [groupedRows, wholeRows] = [await rows(paths[0] as string), await rows(paths[1] as string)];
    connection.closeSync();

    // Assess
    expect(Math.max(...held)).toBe(99);
    expect(groups.getRows()[0]).toEqual([3, 100]);
    expect(groupedRows).toHaveLength(250);
    expect(groupedRows).toEqual(wholeRows);
    expect(grouped.rowCount).toBe(0);
  });
});
