import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../../lib/parquet/test-support/read-parts.ts';
import { validateFile } from './schema-validate.ts';
import { landedInput, memoryStore, type RawFile, rawFile, testConfig } from './test-support/fake-ports.ts';
import { TRANSACTIONS_HEADER as HEADER } from './test-support/generated-file.ts';

const ROWS = [
  'tx-1,payment,10.50,EUR,2024-03-01T10:00:00+01:00,m-1,SR-1,',
  'tx-2,refund,-3.10,USD,2024-03-01T11:00:00Z,m-2,,',
  'tx-3,payment,1500,JPY,2024-03-01T12:00:00+09:00,m-3,,',
  'tx-4,payment,1.250,KWD,2024-03-01T12:00:00+03:00,m-4,,',
];
const GOOD = `${HEADER}\n${ROWS.join('\n')}\nTRAILER,4,EUR=10.50;JPY=1500;KWD=1.250;USD=-3.10\n`;

async function run(file: RawFile, partner: string) {
  const store = memoryStore();
  store.putRaw(file);
  const outcome = await validateFile(
    Object.freeze(landedInput(file, { partner })),
    store.ports,
    testConfig(),
  );
  return { store, outcome };
}

describe('validateFile and the bytes of a file', () => {
  it('quarantines the row of a UTF-8 file sent by a windows-1252 partner as double-encoded UTF-8', async () => {
    // Prepare: UTF-8 bytes, so the partner's windows-1252 reads "café" as "cafÃ©"
    const rows = [...ROWS, 'tx-9,payment,1.00,EUR,2024-03-01T10:00:00Z,café,,'];
    const text = `${HEADER}\n${rows.join('\n')}\nTRAILER,5,EUR=11.50;JPY=1500;KWD=1.250;USD=-3.10\n`;

    // Act
    const { store, outcome } = await run(rawFile(text), 'initech-acq');

    // Assess
    expect(outcome.kind).toBe('validated');
    expect(outcome.payload.counts).toEqual({ rowsIn: 5, valid: 4, quarantined: 1 });
    const key = outcome.payload.quarantine?.parts[0] ?? '';
    const [entry] = readJsonLines(store.object('quarantine-bucket', key) ?? new Uint8Array());
    expect(entry).toMatchObject({
      rowNumber: 6,
      field: 'merchant_id',
      reason:
        'merchant_id looks like double-encoded UTF-8 (UTF-8 bytes read as windows-1252: the partner may have sent UTF-8)',
    });
  });

  it('rejects a windows-1252 file with a byte the code page leaves undefined, at its offset', async () => {
    // Prepare
    const text = `${HEADER}\ntx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m\u0081,,\nTRAILER,1,EUR=1.00\n`;
    const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));

    // Act
    const { outcome } = await run(rawFile(bytes), 'initech-acq');

    // Assess
    expect(outcome.kind).toBe('rejected');
    expect(outcome.payload).toMatchObject({
      code: 'ENCODING_INVALID',
      location: { byteOffset: bytes.indexOf(0x81) },
    });
  });

  const utf16le = (text: string) =>
    Uint8Array.from([...text].flatMap((char) => [char.charCodeAt(0) & 0xff, char.charCodeAt(0) >> 8]));
  const gzipped = new Uint8Array(gzipSync(new TextEncoder().encode(GOOD)));

  it.each([
    [
      'a UTF-16LE file (with BOM) from a UTF-8 partner',
      utf16le(`\ufeff${GOOD}`),
      'acme-bank',
      'ENCODING_MISMATCH',
      'UTF-16LE byte order mark',
    ],
    [
      'a UTF-16LE file (no BOM) from a UTF-8 partner',
      utf16le(GOOD),
      'acme-bank',
      'ENCODING_MISMATCH',
      'looks like UTF-16LE',
    ],
    [
      'a UTF-8 file with BOM from a windows-1252 partner',
      new TextEncoder().encode(`\ufeff${GOOD}`),
      'initech-acq',
      'ENCODING_MISMATCH',
      'UTF-8 byte order mark',
    ],
    ['a gzip file from a UTF-8 partner', gzipped, 'acme-bank', 'COMPRESSED_OR_BINARY_FILE', 'gzip'],
    ['a gzip file from a windows-1252 partner', gzipped, 'initech-acq', 'COMPRESSED_OR_BINARY_FILE', 'gzip'],
    [
      'an Excel workbook',
      Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0, 0x62, 0xee, 0x9d),
      'acme-bank',
      'COMPRESSED_OR_BINARY_FILE',
      'ZIP',
    ],
    [
      'a CR-only (classic Mac) file',
      new TextEncoder().encode(GOOD.replaceAll('\n', '\r')),
      'acme-bank',
      'CR_ONLY_LINE_BREAKS',
      'carriage return',
    ],
  ])('names the cause of %s', async (_name, bytes, partner, code, reason) => {
    // Act
    const { outcome } = await run(rawFile(bytes, { chunkBytes: 3 }), partner);

    // Assess
    expect(outcome.kind).toBe('rejected');
    expect(outcome.payload).toMatchObject({ code, counts: { rowsIn: 0, valid: 0, quarantined: 0 } });
    expect(outcome.kind === 'rejected' && outcome.payload.reason).toContain(reason);
  });
});
