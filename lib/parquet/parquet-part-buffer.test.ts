import { describe, expect, it } from 'vitest';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import { silverColumnsOf } from '../../contracts/datasets/dataset-contract.ts';
import { ParquetPartBuffer } from './parquet-part-buffer.ts';
import { readParquet } from './test-support/read-parts.ts';

const lineage = {
  partner: 'acme-bank',
  businessDate: '2024-03-01',
  fileId: 'f_0123',
  sha256: 'b'.repeat(64),
  runId: 'run_7',
  schemaV: 1,
};

describe('ParquetPartBuffer', () => {
  it('writes dataset and lineage columns, nulls kept, and empties itself', async () => {
    // Prepare
    const contract = findDataset('settlements', 1);
    if (!contract) throw new Error('No contract settlements v1');
    const part = new ParquetPartBuffer(contract.silverColumns, lineage);
    part.append(
      ['s-1', 'tx-1', 1000n, 25n, 'EUR', 2, 1709283600000000n, '2024-03-01T10:00:00+01:00', null],
      2,
    );
    part.append(
      ['s-2', 'tx-2', -5n, 0n, 'JPY', 0, 1709283600000000n, '2024-03-01T10:00:00+01:00', 'PB-1'],
      4,
    );

    // Act
    const bytes = part.finish();
    const rows = await readParquet(bytes);

    // Assess
    expect(part.rowCount).toBe(0);
    expect(Object.keys(rows[0] ?? {})).toEqual(silverColumnsOf(contract).map((column) => column.name));
    expect(
      rows.map((row) => [
        row.settlement_id,
        row.amount_minor,
        row.fee_minor,
        row.payout_batch_id,
        row._row_number,
      ]),
    ).toEqual([
      ['s-1', 1000n, 25n, null, 2n],
      ['s-2', -5n, 0n, 'PB-1', 4n],
    ]);
    expect(rows[1]).toMatchObject({
      partner: 'acme-bank',
      _file_id: 'f_0123',
      _run_id: 'run_7',
      _schema_v: 1,
    });
  });
});
