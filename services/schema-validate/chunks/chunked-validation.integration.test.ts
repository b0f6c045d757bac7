import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../lib/parquet/test-support/read-parts.ts';
import { startTestStack, type TestStack } from '../../../runtime/testing/helpers.ts';
import { dynamoChunkLedger } from '../adapters/dynamo-chunk-ledger.ts';
import { s3Objects } from '../adapters/s3-objects.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from '../ports.ts';
import { type ValidationOutcome, validateFile } from '../schema-validate.ts';
import { landedInput, testConfig } from '../test-support/fake-ports.ts';
import { generatedTransactionsFile } from '../test-support/generated-file.ts';
import type { ChunkLedger } from './chunk-ledger.ts';
import { type ChunkUnit, dispatchChunks, type UnitOutcome, validateUnit } from './chunked-validation.ts';
import { planFile } from './validate-in-chunks.ts';

/**
 * The fan-out's bookkeeping on DynamoDB Local and the S3 emulator: plan once, each chunk's result recorded and
 * counted once whatever the delivery order, repeats and failures, and the join equal to a whole-file validation.
 */
describe('validation in chunks through the ledger', () => {
  let stack: TestStack;
  let ledger: ChunkLedger;
  let ports: SchemaValidatePorts;
  let config: SchemaValidateConfig;
  const file = generatedTransactionsFile({ rows: 3_000, chunkBytes: 4096, cardEvery: 7 });
  const origin = { correlationId: 'corr-1', causationId: 'evt-landed-1' };

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'chunks' });
    const bucket = (name: string) => stack.resources.buckets[name]?.name ?? expect.fail(`no ${name} bucket`);
    config = testConfig({
      buckets: { silver: bucket('silver'), quarantine: bucket('quarantine') },
      partRows: 250,
    });
    ports = s3Objects(stack.clients.s3);
    ledger = dynamoChunkLedger(
      DynamoDBDocumentClient.from(stack.clients.dynamodb, {
        marshallOptions: { removeUndefinedValues: true },
      }),
      stack.resources.tables.files?.name ?? expect.fail('no files table'),
    );
    const chunks: Uint8Array[] = [];
    for await (const bytes of file.body()) chunks.push(bytes);
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket('raw'), Key: file.key, Body: Buffer.concat(chunks) }),
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const inputFor = (runId: string) =>
    landedInput(file, { raw: { bucket: stack.resources.buckets.raw?.name ?? '', key: file.key }, runId });

  /** Every silver row of an outcome, in part order, without the part-layout-independent lineage aside. */
  const silverRows = async (outcome: ValidationOutcome) => {
    const rows = [];
    const parts = outcome.kind === 'validated' ? outcome.payload.silver.parts : [];
    for (const key of parts) {
      const object = await stack.clients.s3.send(
        new GetObjectCommand({ Bucket: config.buckets.silver, Key: key }),
      );
      rows.push(
        ...(await readParquet(
          await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        )),
      );
    }
    return rows;
  };

  it('joins once every unit is in, whatever the order, repeats and a failed attempt, as the whole file validates', async () => {
    // Prepare: a plan of ~14 chunks, dispatched twice (a redelivered FileLanded) into a list standing for the queue.
    const input = inputFor('run_chunks_1');
    const planned = await planFile(input, ports, config, { chunkAboveBytes: 1024, chunkBytes: 32 * 1024 });
    if (planned.kind !== 'chunks') return expect.fail(`planned ${planned.kind}`);
    const queue: ChunkUnit[] = [];
    const deps = {
      ledger,
      chunking: { chunkAboveBytes: 1024, chunkBytes: 32 * 1024 },
      dispatch: async (units: readonly ChunkUnit[]) => void queue.push(...units),
    };
    const chunks = await dispatchChunks(input, origin, planned.plan, deps);
    await dispatchChunks(input, origin, planned.plan, deps);
    // One unit fails on its first part write (a crash before its result): it is retried later.
    let failOnce = true;
    const flaky: SchemaValidatePorts = {
      ...ports,
      putObject: async (ref, bytes) => {
        if (failOnce && ref.key.includes('chunk-00003/')) {
          failOnce = false;
          throw new Error('injected S3 failure');
        }
        return ports.putObject(ref, bytes);
      },
    };

    // Act: deliver in reverse order, then the failed one again.
    const outcomes: UnitOutcome[] = [];
    const retry: ChunkUnit[] = [];
    for (const unit of [...queue].reverse()) {
      try {
        outcomes.push(await validateUnit(unit, flaky, config, ledger));
      } catch {
        retry.push(unit);
      }
    }
    for (const unit of retry) outcomes.push(await validateUnit(unit, flaky, config, ledger));
    const whole = await validateFile(inputFor('run_whole_1'), ports, config);

    // Assess: 2 deliveries per chunk, one failed and retried; every chunk counted once; joined from then on.
    expect(chunks).toBeGreaterThan(5);
    expect(retry).toHaveLength(1);
    expect((await ledger.work(input.fileId, input.runId))?.done).toBe(chunks);
    const joined = outcomes.filter((outcome) => outcome.kind === 'joined');
    expect(joined.length).toBeGreaterThanOrEqual(1);
    for (const outcome of joined) {
      if (outcome.kind !== 'joined' || outcome.outcome.kind !== 'validated' || whole.kind !== 'validated')
        return expect.fail('both validated');
      expect(outcome.origin).toEqual(origin);
      const { silver: _c, quarantine: _cq, ...chunked } = outcome.outcome.payload;
      const { silver: _w, quarantine: _wq, ...entire } = whole.payload;
      expect(chunked).toEqual(entire);
      expect(chunked.counts).toEqual({ rowsIn: 3_000, valid: 3_000, quarantined: 0 });
    }
    const first = joined[0];
    if (first?.kind !== 'joined') return expect.fail('joined');
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ _run_id: _, ...row }) => row);
    expect(strip(await silverRows(first.outcome))).toEqual(strip(await silverRows(whole)));
  }, 120_000);
});
