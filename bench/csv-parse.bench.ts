/**
 * Strict CSV parser throughput: fatal UTF-8 decode + parse of ~1M generated ~150-byte transaction rows, fed as
 * 64 KiB byte chunks the way an S3 stream arrives (a pool of pre-built chunks is cycled, so generation is not
 * measured). Then the whole schema-validate use case (validation, card scan, totals, Parquet parts) over a
 * generated 1M-row file with in-memory ports, whole and in chunks (the plan pass, then the chunks one after
 * another, as one unit each would run them). Prints rows/s, MB/s and peak RSS.
 * Run: npm exec -- tsx bench/csv-parse.bench.ts [rows] [--parser-only]
 */
import { planChunks } from '../services/schema-validate/chunks/plan-chunks.ts';
import { validateInChunks } from '../services/schema-validate/chunks/validate-in-chunks.ts';
import { decodeStream } from '../services/schema-validate/csv/decode.ts';
import { parseCsv } from '../services/schema-validate/csv/strict-csv-parser.ts';
import { validateFile } from '../services/schema-validate/schema-validate.ts';
import { landedInput, memoryStore, testConfig } from '../services/schema-validate/test-support/fake-ports.ts';
import {
  generatedTransactionsFile,
  TRANSACTIONS_HEADER,
} from '../services/schema-validate/test-support/generated-file.ts';

const rows = Number(process.argv.find((arg) => /^[0-9]+$/.test(arg)) ?? 1_000_000);
let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 10);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const perSecond = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en');

/** ~64 KiB chunks of whole rows, cycled until `rows` rows have been yielded. */
async function poolBody(): Promise<{ body: AsyncIterable<Uint8Array>; bytes: () => number }> {
  const pool: { bytes: Uint8Array; rows: number }[] = [];
  let header = true;
  let rowsInPool = 0;
  const source = generatedTransactionsFile({
    rows: 32 * 440,
    trailer: false,
    onChunk: (count) => pool.push({ bytes: new Uint8Array(0), rows: count }),
  });
  for await (const bytes of source.body()) {
    const entry = pool.at(-1);
    if (!entry) continue;
    // Drop the header from the first chunk: it is yielded once, below.
    entry.bytes = header ? bytes.subarray(TRANSACTIONS_HEADER.length + 1) : bytes;
    header = false;
    rowsInPool += entry.rows;
  }
  let total = 0;
  return {
    bytes: () => total,
    body: (async function* () {
      const head = new TextEncoder().encode(`${TRANSACTIONS_HEADER}\n`);
      total += head.byteLength;
      yield head;
      for (let produced = 0; produced < rows; ) {
        for (const entry of pool) {
          if (produced >= rows) break;
          total += entry.bytes.byteLength;
          produced += entry.rows;
          yield entry.bytes;
        }
      }
      if (rowsInPool === 0) throw new Error('empty pool');
    })(),
  };
}

async function parserOnly(): Promise<void> {
  const { body, bytes } = await poolBody();
  const started = performance.now();
  let records = 0;
  for await (const batch of parseCsv(decodeStream(body, 'utf-8'))) records += batch.length;
  const seconds = (performance.now() - started) / 1000;
  sample();
  const dataRows = records - 1;
  console.log(
    `parser (decode + parse): ${dataRows.toLocaleString('en')} rows, ${(bytes() / dataRows).toFixed(0)} B/row, ${seconds.toFixed(2)} s → ` +
      `${perSecond(dataRows, seconds)} rows/s, ${(bytes() / 1e6 / seconds).toFixed(0)} MB/s; peak RSS ${mib(peakRss)}`,
  );
}

async function useCase(): Promise<void> {
  const file = generatedTransactionsFile({ rows });
  const store = memoryStore({ keepBytes: false });
  store.putRaw(file);
  const started = performance.now();
  const outcome = await validateFile(landedInput(file), store.ports, testConfig());
  const seconds = (performance.now() - started) / 1000;
  sample();
  console.log(
    `use case (incl. generating the file): ${outcome.kind}, ${rows.toLocaleString('en')} rows, ${seconds.toFixed(2)} s → ` +
      `${perSecond(rows, seconds)} rows/s, ${store.partsWritten()} objects written; peak RSS ${mib(peakRss)}`,
  );
}

/** The chunk plan's one pass (SHA-256 and the quote-aware record-boundary scan): it bounds the file size. */
async function chunkPlan(): Promise<void> {
  const { body, bytes } = await poolBody();
  const started = performance.now();
  const plan = await planChunks(body, 64 * 1024 ** 2);
  const seconds = (performance.now() - started) / 1000;
  sample();
  console.log(
    `chunk plan (hash + record boundaries): ${plan.chunks.length} chunks of 64 MiB, ${seconds.toFixed(2)} s → ${(bytes() / 1e6 / seconds).toFixed(0)} MB/s; peak RSS ${mib(peakRss)}`,
  );
}

/** The use case in four chunks, one after another: what the fan-out adds (plan pass, join) over the whole file. */
async function useCaseInChunks(): Promise<void> {
  const file = generatedTransactionsFile({ rows });
  const store = memoryStore({ keepBytes: false });
  store.putRaw(file);
  const started = performance.now();
  const chunking = { chunkAboveBytes: 0, chunkBytes: Math.ceil(file.sizeBytes / 4) };
  const outcome = await validateInChunks(landedInput(file), store.ports, testConfig(), chunking, 1);
  const seconds = (performance.now() - started) / 1000;
  sample();
  console.log(
    `use case in 4 chunks, serially (incl. generating the file twice): ${outcome.kind}, ${seconds.toFixed(2)} s → ` +
      `${perSecond(rows, seconds)} rows/s; peak RSS ${mib(peakRss)}`,
  );
}

await parserOnly();
await chunkPlan();
if (!process.argv.includes('--parser-only')) {
  await useCase();
  await useCaseInChunks();
}
clearInterval(sampler);
