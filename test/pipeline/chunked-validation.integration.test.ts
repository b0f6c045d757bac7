import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { FileRejectedV1 } from '../../contracts/events/file-rejected.ts';
import { FileValidatedV1 } from '../../contracts/events/file-validated.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { validateFile } from '../../services/schema-validate/schema-validate.ts';
import {
  landedInput,
  memoryStore,
  rawFile,
  testConfig,
} from '../../services/schema-validate/test-support/fake-ports.ts';
import { badFiles, generateSampleSet, type SampleFile } from '../sample-data/index.ts';
import { archivedDetails, configureTestEnvironment, landAndSettle, startTestPipeline } from './support.ts';

/**
 * Files validated in chunks on the offline runtime: schema-validate plans each file above 2 KiB into ~1 KiB
 * chunks, the chunk worker validates them from its unit queue, and the last unit joins and closes the file. Every
 * file must end exactly as a whole-file validation of the same bytes ends.
 */
describe('validation in chunks through the unit queue', () => {
  let runtime: Runtime;
  const sample: SampleFile[] = generateSampleSet({
    seed: 11,
    dates: ['2026-11-19'],
    rowsPerFile: 60,
    cardNumbers: true,
  });
  const files = [...sample, ...badFiles({ date: '2026-11-21' })];

  beforeAll(async () => {
    configureTestEnvironment({
      FINLEDGER_VALIDATE_IN_CHUNKS_ABOVE_BYTES: '2048',
      FINLEDGER_VALIDATION_CHUNK_BYTES: '1024',
    });
    runtime = await startTestPipeline({ stage: 'chunked' });
    await landAndSettle(runtime, files, 180_000);
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    delete process.env.FINLEDGER_VALIDATE_IN_CHUNKS_ABOVE_BYTES;
    delete process.env.FINLEDGER_VALIDATION_CHUNK_BYTES;
  });

  it('closes every file as the whole file would, with the parts of its chunks', async () => {
    // Prepare: the outcome of each landed file, and of the same bytes validated whole in memory.
    const landed = await archivedDetails(runtime, FileLandedV1);
    const validated = await archivedDetails(runtime, FileValidatedV1);
    const rejected = await archivedDetails(runtime, FileRejectedV1);
    const byDigest = new Map(
      files.map((file) => [createHash('sha256').update(file.bytes).digest('hex'), file]),
    );
    let chunked = 0;

    for (const event of landed) {
      const file = byDigest.get(event.data.sha256) ?? expect.fail(`no sample file for ${event.data.fileId}`);
      const raw = rawFile(file.bytes, { key: event.data.raw.key, chunkBytes: 64 * 1024 });
      const store = memoryStore();
      store.putRaw(raw);
      const whole = await validateFile(
        landedInput(raw, {
          fileId: event.data.fileId,
          partner: event.data.partner,
          dataset: event.data.dataset,
          businessDate: event.data.businessDate,
        }),
        store.ports,
        testConfig(),
      );

      // Act: what the runtime published for it.
      const ok = validated.find((detail) => detail.data.fileId === event.data.fileId);
      const refused = rejected.find((detail) => detail.data.fileId === event.data.fileId);

      // Assess
      if (whole.kind === 'validated') {
        expect(ok, `${file.landingKey} validated`).toBeDefined();
        expect(ok?.data).toMatchObject({
          counts: whole.payload.counts,
          controlTotals: whole.payload.controlTotals,
          validTotals: whole.payload.validTotals,
        });
        if (file.bytes.byteLength > 2048) {
          chunked += 1;
          expect(ok?.data.silver.parts.every((key) => /\/chunk-\d{5}\/part-\d{5}\.parquet$/.test(key))).toBe(
            true,
          );
        }
      } else {
        expect(refused, `${file.landingKey} rejected`).toBeDefined();
        expect(refused?.data).toMatchObject({
          code: whole.payload.code,
          counts: whole.payload.counts,
          location: whole.payload.location,
        });
      }
    }
    expect(chunked).toBeGreaterThan(3);
  }, 120_000);
});
