import { describe, expect, it } from 'vitest';
import { FileRejectedPayloadSchema } from '../../contracts/events/file-rejected.ts';
import { FileValidatedPayloadSchema } from '../../contracts/events/file-validated.ts';
import { readJsonLines, readParquet } from '../../lib/parquet/test-support/read-parts.ts';
import { RawObjectChangedError, UnknownContractError } from './errors.ts';
import type { SchemaValidateConfig } from './ports.ts';
import { validateFile } from './schema-validate.ts';
import { landedInput, memoryStore, type RawFile, rawFile, testConfig } from './test-support/fake-ports.ts';
import { TRANSACTIONS_HEADER as HEADER } from './test-support/generated-file.ts';

const ROWS = [
  'tx-1,payment,10.50,EUR,2024-03-01T10:00:00+01:00,m-1,SR-1,4111111111111111',
  'tx-2,refund,-3.10,USD,2024-03-01T11:00:00Z,m-2,,',
  'tx-3,payment,1500,JPY,2024-03-01T12:00:00+09:00,m-3,,',
  'tx-4,payment,1.250,KWD,2024-03-01T12:00:00+03:00,m-4,,',
];
const TRAILER = 'TRAILER,4,EUR=10.50;JPY=1500;KWD=1.250;USD=-3.10';
const GOOD = `${HEADER}\n${ROWS.join('\n')}\n${TRAILER}\n`;

async function run(
  file: RawFile,
  options: { partner?: string; config?: Partial<SchemaValidateConfig> } = {},
) {
  const store = memoryStore();
  store.putRaw(file);
  const input = landedInput(file, options.partner ? { partner: options.partner } : {});
  const outcome = await validateFile(Object.freeze(input), store.ports, testConfig(options.config));
  return { store, input, outcome };
}

describe('validateFile on a good file', () => {
  it('writes every row to silver with minor units and lineage, and reports counts and totals', async () => {
    // Act
    const { store, input, outcome } = await run(rawFile(GOOD));

    // Assess
    expect(outcome.kind).toBe('validated');
    const payload = FileValidatedPayloadSchema.parse(outcome.payload);
    expect(payload.counts).toEqual({ rowsIn: 4, valid: 4, quarantined: 0 });
    expect(payload.controlTotals.computed).toEqual({
      rowCount: 4,
      sums: { EUR: '1050', JPY: '1500', KWD: '1250', USD: '-310' },
    });
    expect(payload.controlTotals.declared).toEqual(payload.controlTotals.computed);
    expect(payload.validTotals).toEqual(payload.controlTotals.computed);
    expect(payload.quarantine).toBeNull();
    expect(payload.silver.parts).toEqual([
      `silver/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=${input.runId}/schema_v=1/file_id=${input.fileId}/part-00000.parquet`,
    ]);
    const rows = await readParquet(
      store.object('silver-bucket', payload.silver.parts[0] ?? '') ?? new Uint8Array(),
    );
    expect(rows.map((row) => [row.transaction_id, row.amount_minor, row.currency, row._row_number])).toEqual([
      ['tx-1', 1050n, 'EUR', 2n],
      ['tx-2', -310n, 'USD', 3n],
      ['tx-3', 1500n, 'JPY', 4n],
      ['tx-4', 1250n, 'KWD', 5n],
    ]);
    expect(rows[0]).toMatchObject({
      card_bin: '411111',
      card_last4: '1111',
      partner: 'acme-bank',
      _file_id: input.fileId,
      _file_sha256: input.sha256,
      _run_id: input.runId,
      _schema_v: 1,
    });
    expect(rows[0]?.occurred_at).toEqual(new Date('2024-03-01T09:00:00Z'));
    expect(
      JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain('4111111111111111');
  });

  it.each([
    ['with a UTF-8 byte order mark', `\ufeff${GOOD}`, 'acme-bank'],
    ['with CRLF line breaks and no final line break', GOOD.replaceAll('\n', '\r\n').trimEnd(), 'acme-bank'],
    [
      'without a trailer from a partner for whom it is optional',
      `${HEADER}\n${ROWS.join('\n')}\n`,
      'globex-pay',
    ],
    ['with a blank line before the trailer', `${HEADER}\n${ROWS.join('\n')}\n\n${TRAILER}\n`, 'acme-bank'],
    [
      'with blank CRLF lines between rows and after the trailer',
      `${HEADER}\r\n\r\n${ROWS.join('\r\n\r\n')}\r\n${TRAILER}\r\n\r\n`,
      'acme-bank',
    ],
  ])('accepts a file %s', async (_name, text, partner) => {
    // Act
    const { outcome } = await run(rawFile(text), { partner });

    // Assess
    expect(outcome.kind).toBe('validated');
    expect(outcome.payload.counts).toEqual({ rowsIn: 4, valid: 4, quarantined: 0 });
  });

  it('decodes a windows-1252 file for a partner that declares that encoding', async () => {
    // Prepare
    const text = `${HEADER}\ntx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,caf\u00e9,,\nTRAILER,1,EUR=1.00\n`;
    const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));

    // Act
    const { store, outcome } = await run(rawFile(bytes), { partner: 'initech-acq' });

    // Assess
    expect(outcome.kind).toBe('validated');
    const part = outcome.kind === 'validated' ? outcome.payload.silver.parts[0] : undefined;
    const rows = await readParquet(store.object('silver-bucket', part ?? '') ?? new Uint8Array());
    expect(rows[0]?.merchant_id).toBe('café');
  });

  it('splits valid rows into parts of at most partRows rows', async () => {
    // Prepare
    const rows = Array.from(
      { length: 5 },
      (_, index) => `tx-${index},payment,1.00,EUR,2024-03-01T10:00:00Z,m,,`,
    );
    const text = `${HEADER}\n${rows.join('\n')}\nTRAILER,5,EUR=5.00\n`;

    // Act
    const { outcome } = await run(rawFile(text), { config: { partRows: 2 } });

    // Assess
    expect(
      outcome.kind === 'validated' && outcome.payload.silver.parts.map((key) => key.split('/').at(-1)),
    ).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']);
  });
});

describe('validateFile with invalid rows', () => {
  const rows = [
    ...ROWS,
    'tx-5,payment,-1.00,EUR,2024-03-01T10:00:00Z,m-5,,',
    'tx-6,payment,2.00,EUR,2024-03-01T10:00:00Z,4111111111111111,,',
    'tx-7,payment,1.00,EUR,2024-03-01T10:00:00Z,m-7',
    ...Array.from({ length: 8 }, (_, index) => `tx-${10 + index},payment,1.00,EUR,2024-03-01T10:00:00Z,m,,`),
  ];
  const text = `${HEADER}\n${rows.join('\n')}\nTRAILER,15,EUR=19.50;JPY=1500;KWD=1.250;USD=-3.10\n`;

  it('quarantines each with its physical line, first failing field and reason, masking card numbers', async () => {
    // Act
    const { store, input, outcome } = await run(rawFile(text));

    // Assess
    expect(outcome.kind).toBe('validated');
    const payload = FileValidatedPayloadSchema.parse(outcome.payload);
    expect(payload.counts).toEqual({ rowsIn: 15, valid: 12, quarantined: 3 });
    expect(payload.controlTotals.computed.sums.EUR).toBe('1950');
    expect(payload.validTotals.sums.EUR).toBe('1850');
    expect(payload.quarantine?.prefix).toBe(
      `quarantine/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=${input.runId}/file_id=${input.fileId}/`,
    );
    expect(payload.quarantine?.parts).toEqual([`${payload.quarantine?.prefix}rows-00000.jsonl`]);
    const entries = readJsonLines(
      store.object('quarantine-bucket', `${payload.quarantine?.prefix}rows-00000.jsonl`) ?? new Uint8Array(),
    );
    expect(entries.map(({ rowNumber, field }) => [rowNumber, field])).toEqual([
      [6, 'amount'],
      [7, 'merchant_id'],
      [8, null],
    ]);
    expect(entries[1]).toEqual({
      rowNumber: 7,
      field: 'merchant_id',
      reason: 'card number in field merchant_id',
      maskedLine: 'tx-6,payment,2.00,EUR,2024-03-01T10:00:00Z,************1111,,',
      fileId: input.fileId,
      runId: input.runId,
    });
    expect(entries[2]?.reason).toContain('has 6 fields, expected 8');
  });

  it('rejects the file when the quarantined share passes the limit', async () => {
    // Act
    const { outcome } = await run(rawFile(text), { config: { quarantineRejectRate: 0.1 } });

    // Assess
    expect(outcome.kind).toBe('rejected');
    const payload = FileRejectedPayloadSchema.parse(outcome.payload);
    expect(payload.code).toBe('QUARANTINE_RATE_EXCEEDED');
    expect(payload.reason).toContain('3 of 15 rows (20.0%)');
    expect(payload.counts).toEqual({ rowsIn: 15, valid: 12, quarantined: 3 });
    expect(payload.quarantine).not.toBeNull();
  });
});

describe('validateFile and card numbers', () => {
  const pan = '4111111111111111';
  const text = [
    HEADER,
    `tx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m-1,,${pan}`,
    `tx-2,payment,-1.00,EUR,2024-03-01T10:00:00Z,m-2,,${pan}`,
    `tx-3,payment,1.00,EUR,2024-03-01T10:00:00Z,${pan},,`,
    `tx-4,payment,1.00,EUR,2024-03-01T10:00:00Z,m-4,"4111 1111 1111 1111",`,
    `tx-5,payment,1.00,EUR,2024-03-01T10:00:00Z,m-5,,4111111111111112`,
    `tx-6,payment,${pan}`,
    ...Array.from(
      { length: 20 },
      (_, index) => `tx-${10 + index},payment,1.00,EUR,2024-03-01T10:00:00Z,m,,${pan}`,
    ),
    'TRAILER,26,EUR=23.00',
  ].join('\n');

  it('never writes a card number in clear to silver, quarantine or the outcome', async () => {
    // Act
    const { store, outcome } = await run(rawFile(text));

    // Assess
    expect(outcome.payload.counts).toEqual({ rowsIn: 26, valid: 21, quarantined: 5 });
    const quarantine = store
      .keys('quarantine-bucket')
      .map((key) => new TextDecoder().decode(store.object('quarantine-bucket', key)));
    const silver = await Promise.all(
      store
        .keys('silver-bucket')
        .map((key) => readParquet(store.object('silver-bucket', key) ?? new Uint8Array())),
    );
    const everything = JSON.stringify([outcome, quarantine, silver], (_key, value) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    expect(quarantine.join('')).toContain('************1111');
    expect(everything.replace(/[ -]/g, '')).not.toMatch(/41111111111111/);
  });
});

describe('validateFile with a card number where an amount belongs', () => {
  const PAN = '5500005555555559';

  it('keeps the amount out of every total, so the totals never carry the card number', async () => {
    // Prepare: the trailer's sum is what the partner summed, card number included.
    const text = [
      HEADER,
      ROWS[0],
      `tx-5,payment,${PAN},JPY,2024-03-01T12:00:00+09:00,m-5,,`,
      `TRAILER,2,EUR=10.50;JPY=${PAN}`,
    ].join('\n');

    // Act
    const { outcome } = await run(rawFile(text));

    // Assess: the row is quarantined, the totals do not tie, and nothing quotes the number in clear.
    expect(outcome.kind).toBe('rejected');
    expect(outcome.payload).toMatchObject({
      code: 'TRAILER_MISMATCH',
      counts: { rowsIn: 2, valid: 1, quarantined: 1 },
    });
    expect(JSON.stringify(outcome)).not.toContain(PAN);
    expect(JSON.stringify(outcome)).toContain('5559');
  });
});

describe('validateFile on bad files', () => {
  const latin1 = new Uint8Array([
    ...new TextEncoder().encode(`${HEADER}\n${ROWS[1]}\ntx-9,payment,1.00,EUR,2024-03-01T10:00:00Z,caf`),
    0xe9,
    0x2c,
    0x2c,
    0x0a,
  ]);
  const tenMegabytes = `${HEADER}\ntx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,"${'x'.repeat(10 * 1024 * 1024)}",,\n`;

  it.each([
    ['an empty file', rawFile(''), 'EMPTY_FILE', null, 0],
    ['a file with only a BOM', rawFile('\ufeff'), 'EMPTY_FILE', null, 0],
    ['a header-only file', rawFile(`${HEADER}\n`), 'HEADER_ONLY', null, 0],
    ['a header and a trailer but no rows', rawFile(`${HEADER}\nTRAILER,0,\n`), 'HEADER_ONLY', null, 0],
    [
      'a semicolon-delimited file',
      rawFile(`${HEADER.replaceAll(',', ';')}\n${ROWS[0]?.replaceAll(',', ';')}\n`),
      'HEADER_MISMATCH',
      { line: 1 },
      0,
    ],
    [
      'a duplicate header column',
      rawFile(`${HEADER.replace('merchant_id', 'currency')}\n${ROWS[0]}\n`),
      'DUPLICATE_HEADER',
      { line: 1, field: 'currency' },
      0,
    ],
    [
      'a truncated last line',
      rawFile(`${HEADER}\n${ROWS.join('\n')}\ntx-5,payment,1.0`),
      'TRAILER_MISSING',
      null,
      5,
    ],
    [
      'a file without its required trailer',
      rawFile(`${HEADER}\n${ROWS.join('\n')}\n`),
      'TRAILER_MISSING',
      null,
      4,
    ],
    [
      'a trailer with the wrong row count',
      rawFile(`${HEADER}\n${ROWS.join('\n')}\n${TRAILER.replace(',4,', ',5,')}\n`),
      'TRAILER_MISMATCH',
      { line: 6 },
      4,
    ],
    [
      'a trailer with the wrong sum',
      rawFile(`${HEADER}\n${ROWS.join('\n')}\n${TRAILER.replace('EUR=10.50', 'EUR=10.51')}\n`),
      'TRAILER_MISMATCH',
      { line: 6 },
      4,
    ],
    [
      'an unreadable trailer',
      rawFile(`${HEADER}\n${ROWS.join('\n')}\nTRAILER,4,EUR=1e3\n`),
      'TRAILER_MISMATCH',
      { line: 6 },
      4,
    ],
    [
      'Latin-1 bytes in a UTF-8 partner file',
      rawFile(latin1),
      'ENCODING_INVALID',
      { byteOffset: latin1.length - 4 },
      1,
    ],
    [
      'an unclosed quote',
      rawFile(`${HEADER}\n${ROWS[0]}\n${ROWS[1]}\ntx-9,payment,1.00,EUR,2024-03-01T10:00:00Z,"m-9,,\n`),
      'MALFORMED_CSV',
      { line: 4, column: 44 },
      2,
    ],
    [
      'a stray quote',
      rawFile(`${HEADER}\n${ROWS[0]}\ntx-9,pay"ment,1.00\n`),
      'MALFORMED_CSV',
      { line: 3, column: 9 },
      1,
    ],
    [
      'a 10 MB single field',
      rawFile(tenMegabytes, { chunkBytes: 64 * 1024 }),
      'RECORD_TOO_LARGE',
      { line: 2 },
      0,
    ],
  ])('rejects %s as %s', async (_name, file, code, location, rowsIn) => {
    // Act
    const { outcome } = await run(file);

    // Assess
    expect(outcome.kind).toBe('rejected');
    const payload = FileRejectedPayloadSchema.parse(outcome.payload);
    expect(payload.code).toBe(code);
    expect(payload.location).toEqual(location);
    expect(payload.counts.rowsIn).toBe(rowsIn);
    expect(payload.counts.rowsIn).toBe(payload.counts.valid + payload.counts.quarantined);
  });

  it('quarantines a line of spaces as a malformed row: only an empty line is not a record', async () => {
    // Act
    const { outcome } = await run(rawFile(`${HEADER}\n${ROWS.join('\n')}\n   \n`), { partner: 'globex-pay' });

    // Assess
    expect(outcome.payload.counts).toEqual({ rowsIn: 5, valid: 4, quarantined: 1 });
  });

  it('quarantines a truncated last line as ragged when the trailer is optional', async () => {
    // Act
    const { outcome } = await run(rawFile(`${HEADER}\n${ROWS.join('\n')}\ntx-5,payment,1.0`), {
      partner: 'globex-pay',
    });

    // Assess
    expect(outcome.payload.counts).toEqual({ rowsIn: 5, valid: 4, quarantined: 1 });
  });

  it('refuses an object above the size limit without reading it', async () => {
    // Prepare
    const file: RawFile = {
      ...rawFile(GOOD),
      sizeBytes: 60 * 1024 ** 3,
      body: () => {
        throw new Error('the body must not be read');
      },
    };

    // Act
    const { outcome } = await run(file);

    // Assess
    expect(outcome.kind === 'rejected' && outcome.payload.code).toBe('OBJECT_TOO_LARGE');
  });

  it('reports the quarantine written before a file-level rejection', async () => {
    // Prepare
    const text = `${HEADER}\ntx-1,payment,-1.00,EUR,2024-03-01T10:00:00Z,m,,\n${ROWS[0]}\ntx-3,"bad"x\n`;

    // Act
    const { store, outcome } = await run(rawFile(text));

    // Assess
    const payload = FileRejectedPayloadSchema.parse(outcome.payload);
    expect(payload).toMatchObject({ code: 'MALFORMED_CSV', counts: { rowsIn: 2, valid: 1, quarantined: 1 } });
    expect(store.keys('quarantine-bucket')).toEqual([`${payload.quarantine?.prefix}rows-00000.jsonl`]);
    expect(payload.quarantine?.parts).toEqual([`${payload.quarantine?.prefix}rows-00000.jsonl`]);
  });

  it('rejects a partner with no configuration for the dataset', async () => {
    // Act
    const { outcome } = await run(rawFile(GOOD), { partner: 'unknown-partner' });

    // Assess
    expect(outcome.kind === 'rejected' && outcome.payload.code).toBe('UNKNOWN_PARTNER');
  });

  it('throws when the raw bytes no longer match the registered sha256', async () => {
    // Prepare
    const store = memoryStore();
    const file = rawFile(GOOD);
    store.putRaw({ ...file, body: rawFile(GOOD.replace('tx-1', 'tx-X')).body });

    // Act / Assess
    await expect(validateFile(landedInput(file), store.ports, testConfig())).rejects.toBeInstanceOf(
      RawObjectChangedError,
    );
  });

  it('throws when no contract exists for the schema version', async () => {
    // Prepare
    const store = memoryStore();
    const file = rawFile(GOOD);
    store.putRaw(file);

    // Act / Assess
    await expect(
      validateFile(landedInput(file, { schemaV: 9 }), store.ports, testConfig()),
    ).rejects.toBeInstanceOf(UnknownContractError);
  });
});
