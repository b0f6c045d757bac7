import type { DuckDBBlobValue } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { findDataset } from '../../../contracts/datasets/catalog.ts';
import type {
  DatasetContract,
  SilverColumn,
  SilverValue,
} from '../../../contracts/datasets/dataset-contract.ts';
import { DEFAULT_SET_ENGINE_LIMITS, sqlText, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { ParquetPartBuffer } from '../../../lib/parquet/parquet-part-buffer.ts';
import { readSilverPart } from '../../../lib/parquet/silver-part-reader.ts';
import { dedupKeyOf, fingerprintOf, naturalIdOf, nfc, recordIdentityOf } from '../record-identity.ts';
import { identitySqlOf } from './identity-sql.ts';

const PARTNER = "acme-bank's";
const ROWS_PER_CONTRACT = 400;

const lineage = {
  partner: PARTNER,
  businessDate: '2024-03-01',
  fileId: 'f_0123',
  sha256: 'a'.repeat(64),
  runId: 'run_1',
  schemaV: 1,
};

function contractOf(name: string): DatasetContract {
  const contract = findDataset(name, 1);
  if (!contract) throw new Error(`No contract ${name} v1`);
  return contract;
}

/** Transactions with a DATE and a nullable INT32 column and a key over every type: paths v1 contracts lack. */
function compositeKeyContract(): DatasetContract {
  const transactions = contractOf('transactions');
  return {
    ...transactions,
    naturalKey: ['partner', 'transaction_id', 'merchant_id', 'amount_minor', 'occurred_at', 'value_date'],
    silverColumns: [
      ...transactions.silverColumns,
      { name: 'value_date', type: 'DATE', nullable: true, description: 'Test only.' },
      { name: 'batch_seq', type: 'INT32', nullable: true, description: 'Test only.' },
    ],
  };
}

/** mulberry32: a seeded PRNG, so a failure replays with the same rows. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTROLS = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code));
const TEXT_PIECES = [
  ...['tx-1', 'A', 'z', '0', ' ', '#', '/', "'", "o''brien", '"', '\\', '\\u001F', '\\"', '\\\\'],
  ...['é', 'e\u0301', 'Å', '\u212b', 'A\u030a', '\u0301', 'q\u0323\u0307', 'q\u0307\u0323'],
  // U+FEFF never leads a value: the JS part reader drops it there (see its own test below).
  ...['\u1100\u1161\u11a8', '각', '\u1100\u1161', '가\u11a8', 'x\ufeff', '\u007f', '\u2028', '\u2029'],
  ...['😀', '𝄞', '👩🏽‍💻', '\u{1d15e}', '\u{1d157}\u{1d165}', 'ﬁ', '²', '\u00ad', '\u0000'],
  ...CONTROLS,
];
const INT64_EDGES = [0n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 63n - 1n, -(2n ** 63n)];
const MICROS_PER_YEAR = 31_556_952_000_000;

/** A valid silver value of a column, drawn so every awkward class turns up within a few hundred rows. */
function randomValue(column: SilverColumn, random: () => number): SilverValue {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int32 = () => (Math.floor(random() * 2 ** 32) | 0) as number;
  if (column.nullable && random() < 0.2) return null;
  switch (column.type) {
    case 'STRING': {
      if (random() < 0.1) return '';
      return Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(TEXT_PIECES)).join('');
    }
    case 'INT32':
      return random() < 0.2 ? pick([0, -1, 2 ** 31 - 1, -(2 ** 31)]) : int32();
    case 'INT64':
      return random() < 0.3
        ? pick(INT64_EDGES)
        : BigInt.asIntN(64, (BigInt(int32()) << 32n) ^ BigInt(int32()));
    case 'DATE':
      return Math.floor((random() - 0.6) * 100_000);
    case 'TIMESTAMP_MICROS':
      return random() < 0.1
        ? pick([0n, -1n, 1n, -999_999n])
        : BigInt(Math.floor((random() - 0.5) * 150 * MICROS_PER_YEAR));
  }
}

/** One silver part of generated rows, as written bytes. */
function generatedPart(contract: DatasetContract, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const part = new ParquetPartBuffer(contract.silverColumns, lineage);
  for (let row = 0; row < ROWS_PER_CONTRACT; row += 1) {
    part.append(
      contract.silverColumns.map((column) => randomValue(column, random)),
      row + 2,
    );
  }
  return part.finish();
}

interface Identity {
  row: number;
  naturalId: string;
  key: string;
  fingerprint: string;
}

/** A VARCHAR read as UTF-8 bytes: the client's own decoding drops a leading U+FEFF. */
const exactText = (blob: unknown): string =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode((blob as DuckDBBlobValue).bytes);

/** Key, natural id and fingerprint of every row of a part, computed by DuckDB from the SQL expressions. */
async function identitiesInSql(contract: DatasetContract, bytes: Uint8Array): Promise<Identity[]> {
  const sql = identitySqlOf(contract, PARTNER);
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    const path = await engine.stage('part-00000.parquet', bytes);
    // Instants must not depend on the session's zone.
    await engine.db.run("SET TimeZone = 'Asia/Kathmandu'");
    const reader = await engine.db.runAndReadAll(
      `SELECT _row_number::INTEGER, encode(${sql.naturalId}), encode(${sql.key}), ${sql.fingerprint} FROM read_parquet(${sqlText(path)}) ORDER BY _row_number`,
    );
    return reader.getRows().map(([row, naturalId, key, fingerprint]) => ({
      row: row as number,
      naturalId: exactText(naturalId),
      key: exactText(key),
      fingerprint: fingerprint as string,
    }));
  });
}

/** The same, computed by `record-identity.ts` from the values read back from the written part. */
async function identitiesInJs(contract: DatasetContract, bytes: Uint8Array): Promise<Identity[]> {
  const identity = recordIdentityOf(contract);
  const rows = await readSilverPart(bytes, contract);
  return Array.from({ length: rows.length }, (_, index) => {
    const values = rows.values(index);
    const naturalId = naturalIdOf(identity, values);
    return {
      row: rows.rowNumber(index),
      naturalId,
      key: dedupKeyOf(contract.name, PARTNER, naturalId),
      fingerprint: fingerprintOf(identity, values),
    };
  });
}

describe('identitySqlOf', () => {
  it.each([
    ['transactions v1', () => contractOf('transactions'), 11],
    ['settlements v1', () => contractOf('settlements'), 23],
    ['transactions with a key over every column type', compositeKeyContract, 37],
  ])(
    'computes the natural id, key and fingerprint of %s as record-identity does',
    async (_name, contractFor, seed) => {
      // Prepare
      const contract = contractFor();
      const bytes = generatedPart(contract, seed);
      const expected = await identitiesInJs(contract, bytes);

      // Act
      const actual = await identitiesInSql(contract, bytes);

      // Assess
      expect(expected).toHaveLength(ROWS_PER_CONTRACT);
      expect(actual).toEqual(expected);
      const rows = await readSilverPart(bytes, contract);
      const cells = Array.from({ length: rows.length }, (_, index) => rows.values(index)).flat();
      expect(cells.some((cell) => typeof cell === 'string' && cell !== nfc(cell))).toBe(true);
      expect(cells.some((cell) => typeof cell === 'string' && cell.includes('\u0000'))).toBe(true);
      expect(cells.some((cell) => typeof cell === 'bigint' && cell > 2n ** 53n)).toBe(true);
      expect(cells.some((cell) => typeof cell === 'bigint' && cell < 0n)).toBe(true);
      expect(cells.includes(null)).toBe(true);
    },
  );

  it('sees a leading U+FEFF that the JS part reader drops', async () => {
    // Prepare
    const contract = contractOf('transactions');
    const part = new ParquetPartBuffer(contract.silverColumns, lineage);
    part.append(
      ['\ufefftx-1', 'payment', 1n, 'EUR', 2, 0n, '1970-01-01T00:00:00Z', 'm', null, null, null, null],
      2,
    );
    const bytes = part.finish();

    // Act
    const inSql = await identitiesInSql(contract, bytes);
    const inJs = await identitiesInJs(contract, bytes);

    // Assess
    expect(inSql[0]?.naturalId).toBe('\ufefftx-1');
    expect(inJs[0]?.naturalId).toBe('tx-1');
  });

  it.each([
    ['tx-1', 'tx-1'],
    ['', ''],
    [null, ''],
    ["o'brien", "o'brien"],
    ['e\u0301', 'é'],
    ['\u212b', 'Å'],
    ['\u1100\u1161\u11a8', '각'],
    ['\ufeffe\u0301', '\ufeffé'],
    ['a\u0000e\u0301\u0000', 'a\u0000é\u0000'],
    ['\\u001F"\u001f', '\\u001F"\u001f'],
    ['😀e\u0301', '😀é'],
  ])('gives %j the natural id %j', async (transactionId, naturalId) => {
    // Prepare
    const contract = contractOf('transactions');
    const sql = identitySqlOf(contract, PARTNER);
    const identity = recordIdentityOf(contract);

    // Act
    const inSql = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
      const reader = await engine.db.runAndReadAll(
        `SELECT encode(${sql.naturalId}) FROM (SELECT $1::VARCHAR AS transaction_id)`,
        [transactionId],
      );
      return exactText(reader.getRows()[0]?.[0]);
    });

    // Assess
    expect(inSql).toBe(naturalId);
    expect(naturalIdOf(identity, [transactionId])).toBe(naturalId);
  });
});
