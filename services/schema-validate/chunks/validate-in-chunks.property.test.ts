import { describe, expect, it } from 'vitest';
import { readJsonLines, readParquet } from '../../../lib/parquet/test-support/read-parts.ts';
import { createRandom, type Random } from '../../../test/sample-data/prng.ts';
import type { SchemaValidateConfig } from '../ports.ts';
import { type ValidationOutcome, validateFile } from '../schema-validate.ts';
import { landedInput, memoryStore, rawFile, testConfig } from '../test-support/fake-ports.ts';
import { TRANSACTIONS_HEADER } from '../test-support/generated-file.ts';
import { validateInChunks } from './validate-in-chunks.ts';

const SEEDS = Number(process.env.FINLEDGER_PROPERTY_SEEDS ?? 60);

/** Partners of config/partners.ts with the encodings and trailer rules the files below exercise. */
const PARTNERS = [
  { id: 'acme-bank', encoding: 'utf-8' }, // trailer required
  { id: 'globex-pay', encoding: 'utf-8' }, // trailer optional
  { id: 'initech-acq', encoding: 'windows-1252' }, // trailer required, single-byte
] as const;

/** One generated data line and, when it is a well-formed row, its amount in cents for the trailer. */
function dataLine(random: Random, index: number, latin: boolean): { text: string; cents: bigint } {
  const id = `tx-${index}`;
  const cents = BigInt(random.int(1, 99_999));
  const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  const merchant = random.weighted<string>([
    ['m-1', 8],
    ['"m, quoted"', 2],
    ['"line one\nline two"', 1],
    ['"say ""hi"""', 1],
    [latin ? 'café' : 'naïve ✓', 1],
  ]);
  const card = random.chance(0.1) ? '4111111111111111' : '';
  const kind = random.weighted<string>([
    ['valid', 14],
    ['bad-amount', 0.5],
    ['ragged', 0.5],
    ['blank', 1],
    ['misplaced-trailer', 0.2],
  ]);
  const at = '2024-03-01T10:00:00Z';
  if (kind === 'bad-amount') return { text: `${id},payment,ten,EUR,${at},m-1,,`, cents: 0n };
  if (kind === 'ragged') return { text: `${id},payment,${amount},EUR`, cents: 0n };
  if (kind === 'blank') return { text: '', cents: 0n };
  if (kind === 'misplaced-trailer') return { text: 'TRAILER,1,EUR=1.00', cents: 0n };
  return { text: `${id},payment,${amount},EUR,${at},${merchant},,${card}`, cents };
}

/** A transactions file with quoting, blank lines, CRLF, card numbers, bad rows, and sometimes a defect. */
function generatedFile(random: Random, latin: boolean): Uint8Array {
  const rows = random.int(0, 40);
  const eol = () => (random.chance(0.3) ? '\r\n' : '\n');
  let text = `${random.chance(0.2) && !latin ? '\uFEFF' : ''}${TRANSACTIONS_HEADER}${eol()}`;
  let counted = 0;
  let total = 0n;
  for (let index = 0; index < rows; index += 1) {
    const line = dataLine(random, index, latin);
    text += `${line.text}${eol()}`;
    if (line.text !== '') counted += 1;
    total += line.cents;
  }
  const defect = random.weighted<string>([
    ['none', 10],
    ['wrong-trailer', 1],
    ['no-trailer', 1],
    ['malformed-quote', 1],
    ['bad-byte', latin ? 1 : 0],
    ['blank-tail', 1],
  ]);
  if (defect === 'malformed-quote') text += `tx-x,pay"ment,1.00,EUR,2024-03-01T10:00:00Z,m-1,,${eol()}`;
  const sums = `EUR=${total / 100n}.${String(total % 100n).padStart(2, '0')}`;
  if (defect === 'wrong-trailer') text += `TRAILER,${counted + 1},${sums}${eol()}`;
  else if (defect !== 'no-trailer') text += `TRAILER,${counted},${sums}${random.chance(0.5) ? eol() : ''}`;
  if (defect === 'blank-tail') text += '\n\r\n\n';
  const bytes = latin ? Uint8Array.from(text, (char) => char.charCodeAt(0)) : new TextEncoder().encode(text);
  if (defect === 'bad-byte') bytes[random.int(Math.floor(bytes.length / 2), bytes.length - 1)] = 0x81;
  return bytes;
}

/** Everything a run produced, read back: the outcome, every silver row and quarantine entry in part order. */
async function observed(
  outcome: ValidationOutcome,
  store: ReturnType<typeof memoryStore>,
): Promise<Record<string, unknown>> {
  const payload = outcome.payload as Record<string, unknown> & {
    silver?: { parts: string[] };
    quarantine?: { parts: string[] } | null;
  };
  const silver = [];
  for (const key of payload.silver?.parts ?? [])
    silver.push(...(await readParquet(store.object('silver-bucket', key) ?? new Uint8Array())));
  const quarantine = (payload.quarantine?.parts ?? []).flatMap((key) =>
    readJsonLines(store.object('quarantine-bucket', key) ?? new Uint8Array()),
  );
  const { silver: _s, quarantine: _q, ...rest } = payload;
  return { kind: outcome.kind, ...rest, silver, quarantine };
}

describe('a file validated in chunks gives what the whole file gives', () => {
  // Small parts, so chunks and whole files both write several.
  const config: SchemaValidateConfig = testConfig({ partRows: 7, quarantinePartEntries: 3 });

  it.each(Array.from({ length: SEEDS }, (_, seed) => seed))('seed %i', async (seed) => {
    // Prepare
    const random = createRandom(20261207 + seed);
    const partner = random.pick(PARTNERS);
    const bytes = generatedFile(random, partner.encoding === 'windows-1252');
    const file = rawFile(bytes, {
      key: `raw/${partner.id}/transactions/2024-03-01/s${seed}.csv`,
      chunkBytes: 13,
    });
    const input = landedInput(file, { partner: partner.id });
    const whole = memoryStore();
    whole.putRaw(file);

    // Act
    const expected = await observed(await validateFile(input, whole.ports, config), whole);
    const chunked = [];
    for (const chunkBytes of [1, random.int(2, 200), random.int(50, 2_000)]) {
      const store = memoryStore();
      store.putRaw(file);
      const outcome = await validateInChunks(
        input,
        store.ports,
        config,
        { chunkAboveBytes: 0, chunkBytes },
        3,
      );
      chunked.push({ chunkBytes, result: await observed(outcome, store) });
    }

    // Assess: identical outcome, counts, totals, reasons and locations, silver rows and quarantine entries.
    for (const { chunkBytes, result } of chunked)
      expect(result, `chunks of ${chunkBytes} bytes`).toEqual(expected);
    const counts = expected.counts as { rowsIn: number; valid: number; quarantined: number };
    expect(counts.rowsIn).toBe(counts.valid + counts.quarantined);
  });
});
