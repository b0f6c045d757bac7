import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  HeadObjectCommand,
  type ServiceInputTypes as S3Input,
  type ServiceOutputTypes as S3Output,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { InitializeMiddleware } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { waitFor } from '../runtime/testing/helpers.ts';
import {
  generatedRow,
  TRANSACTIONS_HEADER,
} from '../services/schema-validate/test-support/generated-file.ts';
import { configureTestEnvironment, registry, startTestPipeline } from '../test/pipeline/support.ts';
import { watchLines } from './watch/log-lines.ts';
import { type WatchOptions, watchLandingFolder } from './watch.ts';

const MiB = 1024 ** 2;
const BUSINESS_DATE = '2024-03-01';
/** No generated row carries a card number (row i has one when i % cardEvery === 0; rows start at 1). */
const NO_CARDS = Number.MAX_SAFE_INTEGER;

/**
 * Write an acme-bank transactions file of valid rows to `path` as a stream, never held whole: rows until `minBytes`
 * (or `rows`), then a trailer that declares the real totals, or one row too many when `wrongTrailer`.
 */
async function writePartnerFile(
  path: string,
  options: { rows?: number; minBytes?: number; firstRow?: number; wrongTrailer?: boolean },
): Promise<{ rows: number; sizeBytes: number }> {
  let rows = 0;
  async function* text(): AsyncIterable<string> {
    let chunk = `${TRANSACTIONS_HEADER}\n`;
    let written = 0;
    let cents = 0n;
    const first = options.firstRow ?? 1;
    while (
      options.rows !== undefined ? rows < options.rows : written + chunk.length < (options.minBytes ?? 0)
    ) {
      const row = generatedRow(first + rows, NO_CARDS);
      cents += BigInt((row.split(',')[2] ?? '').replace('.', ''));
      chunk += `${row}\n`;
      rows += 1;
      if (chunk.length >= MiB) {
        written += chunk.length;
        yield chunk;
        chunk = '';
      }
    }
    const declared = options.wrongTrailer ? rows + 1 : rows;
    yield `${chunk}TRAILER,${declared},EUR=${cents / 100n}.${String(cents % 100n).padStart(2, '0')}\n`;
  }
  await mkdir(dirname(path), { recursive: true });
  await pipeline(Readable.from(text()), createWriteStream(path));
  return { rows, sizeBytes: (await stat(path)).size };
}

/** Where a partner drops a file: `<partner>/<dataset>/<date>/<name>` under the watched folder. */
const dropPath = (folder: string, name: string) =>
  join(folder, 'acme-bank', 'transactions', BUSINESS_DATE, name);

/** Move a finished file into the watched folder in one step, as a partner's rename would. */
async function drop(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const BIG_FILE_BYTES = 40 * MiB;

describe('run --watch on the offline runtime', () => {
  let runtime: Runtime;
  let root: string;

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    root = await mkdtemp(join(tmpdir(), 'finledger-watch-'));
  });

  afterAll(async () => {
    await runtime?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Start the watcher on `folder`, recording what it prints. */
  function watch(folder: string, options: Omit<WatchOptions, 'signal' | 'log'> = {}) {
    const controller = new AbortController();
    const lines: { level: 'info' | 'problem'; line: string }[] = [];
    const done = watchLandingFolder(runtime, folder, {
      pollIntervalMs: 200,
      ...options,
      signal: controller.signal,
      log: {
        info: (line) => lines.push({ level: 'info', line }),
        problem: (line) => lines.push({ level: 'problem', line }),
      },
    });
    return {
      lines,
      printed: (part: string) => lines.some((entry) => entry.line.includes(part)),
      problems: () => lines.filter((entry) => entry.level === 'problem').map((entry) => entry.line),
      async stop() {
        controller.abort();
        expect(await done).toBe(0);
      },
    };
  }

  async function fileNamed(fileName: string): Promise<FileRecord | undefined> {
    const files = await registry(runtime).listAll();
    return files.find((file) => file.fileName === fileName && file.businessDate === BUSINESS_DATE);
  }

  async function waitForStage(fileName: string, timeoutMs: number): Promise<FileRecord> {
    let found: FileRecord | undefined;
    await waitFor(
      `${fileName} to reach VALIDATED or REJECTED`,
      async () => {
        found = await fileNamed(fileName);
        return found !== undefined && found.stage !== 'LANDED';
      },
      timeoutMs,
    );
    if (!found) throw new Error(`${fileName} vanished from the registry`);
    return found;
  }

  async function landingObjectExists(key: string): Promise<boolean> {
    const bucket = runtime.resources.buckets.landing?.name;
    return runtime.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );
  }

  it('lands a 40 MiB file in five parts and takes it to a verdict, and lands the next file too, without stopping', async () => {
    // Prepare
    const folder = join(root, 'large');
    const big = await writePartnerFile(join(root, 'staging', 'big.csv'), {
      // Five 8 MiB parts: more than the upload's queue of four in flight, and above the 12-42 MB files that failed before.
      minBytes: BIG_FILE_BYTES,
      wrongTrailer: true,
    });
    const small = await writePartnerFile(join(root, 'staging', 'after-big.csv'), { rows: 300 });
    const watcher = watch(folder, { idleTimeoutMs: 2_000 });
    const bigPath = dropPath(folder, 'big-wrong-trailer.csv');
    const smallPath = dropPath(folder, 'after-big.csv');

    try {
      // Act
      await drop(join(root, 'staging', 'big.csv'), bigPath);
      await waitFor('the big file to be uploaded', () => watcher.printed(`Landed ${bigPath}`), 180_000);
      await drop(join(root, 'staging', 'after-big.csv'), smallPath);
      const smallRecord = await waitForStage('after-big.csv', 300_000);
      const bigRecord = await waitForStage('big-wrong-trailer.csv', 300_000);
      const report = (entry: { line: string }) =>
        /^date /m.test(entry.line) &&
        entry.line.includes('big-wrong-trailer.csv') &&
        entry.line.includes('after-big.csv');
      await waitFor('the report once idle', () => watcher.lines.some(report), 300_000);

      // Assess
      expect(big.sizeBytes).toBeGreaterThanOrEqual(BIG_FILE_BYTES);
      expect(watcher.lines.map((entry) => entry.line)).toContain(
        watchLines.landed(bigPath, big.sizeBytes, 'multipart'),
      );
      expect(bigRecord).toMatchObject({
        stage: 'REJECTED',
        sizeBytes: big.sizeBytes,
        rejection: { code: 'TRAILER_MISMATCH' },
        counts: { rowsIn: big.rows },
      });
      expect(bigRecord.rejection?.reason).toMatch(/^The trailer does not match the file \(.*row/);
      expect(smallRecord).toMatchObject({
        stage: 'VALIDATED',
        counts: { rowsIn: small.rows, valid: small.rows, quarantined: 0 },
      });
      expect(watcher.printed('Still processing')).toBe(true);
      expect(watcher.problems()).toEqual([]);
      expect(await exists(bigPath)).toBe(true);
      expect(await exists(smallPath)).toBe(true);
    } finally {
      await watcher.stop();
    }
  }, 900_000);

  it('reports an upload the bucket refuses with its path, cause and next step, keeps the file, and lands it once it changes', async () => {
    // Prepare
    const folder = join(root, 'refused');
    const path = dropPath(folder, 'refused-once.csv');
    const key = `inbound/acme-bank/transactions/${BUSINESS_DATE}/refused-once.csv`;
    const file = await writePartnerFile(join(root, 'staging', 'refused-once.csv'), {
      rows: 200,
      firstRow: 10_000,
    });
    let refusals = 0;
    const refuseOnce: InitializeMiddleware<S3Input, S3Output> = (next, context) => (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === 'PutObjectCommand' && input.Key === key && refusals === 0) {
        refusals += 1;
        throw new S3ServiceException({
          name: 'ServiceUnavailable',
          $fault: 'server',
          $metadata: { httpStatusCode: 503 },
          message: 'Injected by the test: S3 is unavailable',
        });
      }
      return next(args);
    };
    runtime.clients.s3.middlewareStack.add(refuseOnce, {
      step: 'initialize',
      name: 'watch-test-refuse-once',
    });
    const watcher = watch(folder);

    try {
      // Act
      await drop(join(root, 'staging', 'refused-once.csv'), path);
      await waitFor('the refusal to be printed', () => watcher.problems().length > 0, 60_000);
      const keptAfterRefusal = await exists(path);
      const uploadedAfterRefusal = await landingObjectExists(key);
      const later = new Date(Date.now() + 1_000);
      await utimes(path, later, later);
      const record = await waitForStage('refused-once.csv', 120_000);

      // Assess
      expect(watcher.problems()).toEqual([
        `Could not land ${path}: the landing bucket refused the upload: ServiceUnavailable (HTTP 503): ` +
          'Injected by the test: S3 is unavailable. The file stays where it is. Next step: check the ' +
          "runtime's emulators (`finledger status`); it is retried when it changes (touch it to retry as is).",
      ]);
      expect(keptAfterRefusal).toBe(true);
      expect(uploadedAfterRefusal).toBe(false);
      expect(watcher.printed(`Landed ${path}`)).toBe(true);
      expect(record).toMatchObject({ stage: 'VALIDATED', sizeBytes: file.sizeBytes });
    } finally {
      runtime.clients.s3.middlewareStack.remove('watch-test-refuse-once');
      await watcher.stop();
    }
  }, 300_000);

  it('refuses a file over a configured cap locally, once, and goes on with the next file', async () => {
    // Prepare
    const folder = join(root, 'capped');
    const capBytes = 64 * 1024;
    const overPath = dropPath(folder, 'over-cap.csv');
    const underPath = dropPath(folder, 'under-cap.csv');
    const over = await writePartnerFile(join(root, 'staging', 'over-cap.csv'), {
      rows: 1_000,
      firstRow: 20_000,
    });
    const under = await writePartnerFile(join(root, 'staging', 'under-cap.csv'), {
      rows: 100,
      firstRow: 30_000,
    });
    const watcher = watch(folder, { capBytes });

    try {
      // Act
      await drop(join(root, 'staging', 'over-cap.csv'), overPath);
      await drop(join(root, 'staging', 'under-cap.csv'), underPath);
      const record = await waitForStage('under-cap.csv', 120_000);

      // Assess
      expect(over.sizeBytes).toBeGreaterThan(capBytes);
      expect(under.sizeBytes).toBeLessThan(capBytes);
      expect(watcher.problems()).toEqual([watchLines.overCap(overPath, over.sizeBytes, capBytes)]);
      expect(watcher.problems()[0]).toContain('ask the partner to split it');
      expect(record.stage).toBe('VALIDATED');
      expect(await landingObjectExists(`inbound/acme-bank/transactions/${BUSINESS_DATE}/over-cap.csv`)).toBe(
        false,
      );
      expect(await fileNamed('over-cap.csv')).toBeUndefined();
      expect(await exists(overPath)).toBe(true);
    } finally {
      await watcher.stop();
    }
  }, 300_000);
});
