import { createHash } from 'node:crypto';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { GoldInputError } from './errors.ts';
import { GOLD_CONTENT_FORMAT } from './gold-content.ts';
import { GoldPartitionWriter, type GoldRow } from './gold-partition.ts';
import { at, DATE, frozen, txRow } from './test-support/facts.ts';
import { buildGoldPartitionInMemory } from './test-support/in-memory-gold.ts';

const target = { dataset: 'transactions' as const, businessDate: DATE, runId: 'run_gold_1', schemaV: 1 };

const first = txRow('tx-3', { row: 4 });
const rows: GoldRow[] = [
  first,
  txRow('tx-1', { row: 2, amount: -250n }),
  txRow('tx-2', { row: 3, currency: 'JPY', amount: 700n }),
  txRow('tx-1', { partner: 'globex-pay', row: 9, sha256: 'b'.repeat(64), amount: 100n, currency: 'USD' }),
  txRow('tx-0', { partner: 'globex-pay', row: 2, sha256: 'b'.repeat(64), currency: 'USD' }),
];

async function readPart(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file });
}

const bytesOf = (partition: ReturnType<typeof buildGoldPartitionInMemory>) =>
  Promise.all(partition.parts.map(async (part) => Buffer.from(await part.read())));

describe('GoldPartitionWriter, fed rows sorted in memory', () => {
  it('orders rows by gold bucket, natural key then lineage and writes gold columns without run-specific lineage', async () => {
    // Prepare: the buckets of these keys (first byte of the MD5 of "partner\u001ftransaction_id").
    const bucketOf = (key: string) =>
      createHash('md5').update(key.replace('/', '\u001f')).digest()[0] as number;
    const keys = ['acme-bank/tx-1', 'acme-bank/tx-2', 'acme-bank/tx-3', 'globex-pay/tx-0', 'globex-pay/tx-1'];
    const inGoldOrder = [...keys].sort((a, b) => bucketOf(a) - bucketOf(b) || (a < b ? -1 : 1));

    // Act
    const partition = buildGoldPartitionInMemory(frozen(rows), target);
    const written = await readPart(await at(partition.parts, 0).read());

    // Assess
    expect(partition.prefix).toBe('gold/dataset=transactions/dt=2026-11-20/run_id=run_gold_1/');
    expect(partition.parts.map((part) => part.key)).toEqual([`${partition.prefix}part-00000.parquet`]);
    expect(written.map((row) => `${row.partner}/${row.transaction_id}`)).toEqual(inGoldOrder);
    expect(partition.buckets.map((digest) => [digest.bucket, digest.rows])).toEqual(
      [...new Set(inGoldOrder.map(bucketOf))].map((bucket) => [
        bucket,
        keys.filter((key) => bucketOf(key) === bucket).length,
      ]),
    );
    expect(Object.keys(at(written, 0))).not.toContain('_run_id');
    expect(written.find((row) => row.transaction_id === 'tx-1' && row.partner === 'acme-bank')).toMatchObject(
      {
        amount_minor: -250n,
        _file_sha256: 'a'.repeat(64),
        _row_number: 2n,
        _schema_v: 1,
      },
    );
  });

  it('sums amounts per currency and per partner, in minor units', () => {
    // Act
    const partition = buildGoldPartitionInMemory(rows, target);

    // Assess
    expect(partition.rowCount).toBe(5);
    expect(partition.sums).toEqual({ EUR: '1250', JPY: '700', USD: '1600' });
    expect(partition.byPartner).toEqual({
      'acme-bank': { rows: 3, sums: { EUR: '1250', JPY: '700' } },
      'globex-pay': { rows: 2, sums: { USD: '1600' } },
    });
  });

  it.each([
    ['reversed', [...rows].reverse()],
    ['rotated', [...rows.slice(2), ...rows.slice(0, 2)]],
    ['interleaved', [at(rows, 4), at(rows, 0), at(rows, 3), at(rows, 1), at(rows, 2)]],
  ])(
    'gives byte-identical Parquet and the same content hash for the same rows %s',
    async (_name, reordered) => {
      // Act
      const first = buildGoldPartitionInMemory(rows, target);
      const second = buildGoldPartitionInMemory(reordered, target);

      // Assess
      expect(await bytesOf(second)).toEqual(await bytesOf(first));
      expect(second.parts.map((part) => part.sha256)).toEqual(first.parts.map((part) => part.sha256));
      expect(second.contentHash).toBe(first.contentHash);
    },
  );

  it('gives a rerun over unchanged data the same hashes and bytes under its own run id', async () => {
    // Prepare: the rerun re-validated the same raw files, so only the silver run id differs.
    const rerunRows = rows.map((row) => ({ ...row, _run_id: 'run_validate_2' }));

    // Act
    const first = buildGoldPartitionInMemory(rows, target);
    const rerun = buildGoldPartitionInMemory(rerunRows, { ...target, runId: 'run_gold_2' });

    // Assess
    expect(rerun.contentHash).toBe(first.contentHash);
    expect(await bytesOf(rerun)).toEqual(await bytesOf(first));
    expect(at(rerun.parts, 0).key).toBe(
      'gold/dataset=transactions/dt=2026-11-20/run_id=run_gold_2/part-00000.parquet',
    );
    expect(at(rerun.parts, 0).key).not.toBe(at(first.parts, 0).key);
  });

  it.each<[string, (all: GoldRow[]) => GoldRow[]]>([
    ['an amount', (all) => [{ ...first, amount_minor: 1501n }, ...all.slice(1)]],
    ['a row number', (all) => [{ ...first, _row_number: 5n }, ...all.slice(1)]],
    ['the source file sha256', (all) => [{ ...first, _file_sha256: 'f'.repeat(64) }, ...all.slice(1)]],
    ['a nullable value', (all) => [{ ...first, settlement_reference: 'SR-1' }, ...all.slice(1)]],
    ['a row fewer', (all) => all.slice(1)],
  ])('changes the content hash when %s changes', (_name, change) => {
    // Act
    const before = buildGoldPartitionInMemory(rows, target);
    const after = buildGoldPartitionInMemory(change(rows), target);

    // Assess
    expect(after.contentHash).not.toBe(before.contentHash);
  });

  it('hashes the rows, not their Parquet layout: the part size changes parts, never the content hash', () => {
    // Act
    const whole = buildGoldPartitionInMemory(rows, target);
    const split = buildGoldPartitionInMemory(rows, target, { maxRowsPerPart: 2 });

    // Assess
    expect(split.parts.map((part) => [part.key.slice(-18), part.rowCount])).toEqual([
      ['part-00000.parquet', 2],
      ['part-00001.parquet', 2],
      ['part-00002.parquet', 1],
    ]);
    expect(split.contentHash).toBe(whole.contentHash);
    expect(new Set(split.parts.map((part) => part.sha256)).size).toBe(3);
  });

  it('writes one empty part for a date with no curated row, with a stable hash', async () => {
    // Act
    const empty = buildGoldPartitionInMemory([], target);
    const again = buildGoldPartitionInMemory([], { ...target, runId: 'run_other' });

    // Assess
    expect(empty.parts).toHaveLength(1);
    expect(empty.rowCount).toBe(0);
    expect(await readPart(await at(empty.parts, 0).read())).toEqual([]);
    expect(again.contentHash).toBe(empty.contentHash);
    expect(empty.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(empty.buckets).toEqual([]);
    expect(GOLD_CONTENT_FORMAT).toBe('finledger-gold-content/v2');
  });

  it.each<[string, GoldRow[], RegExp]>([
    [
      'a natural key curated twice',
      [txRow('tx-1'), txRow('tx-1', { fileId: 'f_other', row: 7 })],
      /natural key \["acme-bank","tx-1"\] is curated twice/,
    ],
    ['the same row twice', [txRow('tx-1'), txRow('tx-1')], /row f_acme-bank:2 is there twice/],
    ['a float amount', [{ ...txRow('tx-1'), amount_minor: 15 }], /holds number in amount_minor \(INT64\)/],
    [
      'a null where none is allowed',
      [{ ...txRow('tx-1'), currency: null }],
      /holds null in currency \(STRING\)/,
    ],
    [
      'another business date',
      [{ ...txRow('tx-1'), business_date: 20_000 }],
      /is not of business date 2026-11-20/,
    ],
    ['a column the contract lacks', [{ ...txRow('tx-1'), extra: 'x' }], /has column extra/],
  ])('refuses %s', (_name, input, message) => {
    // Act / Assess
    expect(() => buildGoldPartitionInMemory(input, target)).toThrow(GoldInputError);
    expect(() => buildGoldPartitionInMemory(input, target)).toThrow(message);
  });

  it('refuses rows out of gold order when streamed: within a bucket, and a bucket after a later one', () => {
    // Prepare
    const writer = new GoldPartitionWriter(target);
    writer.append(txRow('tx-2'), 7);

    // Act / Assess
    expect(() => writer.append(txRow('tx-1', { row: 3 }), 7)).toThrow(/not in gold order at natural key/);
    expect(() => writer.append(txRow('tx-3', { row: 4 }), 6)).toThrow(/not in gold order: bucket 6 after 7/);
  });

  it('refuses a row of a bucket outside the range a unit builds', () => {
    // Prepare
    const writer = new GoldPartitionWriter(target, { buckets: { from: 10, to: 20 } });
    writer.append(txRow('tx-1'), 10);

    // Act / Assess
    expect(() => writer.append(txRow('tx-2', { row: 3 }), 20)).toThrow(
      'row f_acme-bank:3 is in gold bucket 20, outside 10-19',
    );
  });

  it('refuses a run id that could leave its folder', () => {
    // Act / Assess
    expect(() => buildGoldPartitionInMemory(rows, { ...target, runId: '../x' })).toThrow(/Refusing run_id/);
  });
});
