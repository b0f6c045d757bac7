import { createHash } from 'node:crypto';
import { findDataset } from '../../../contracts/datasets/catalog.ts';
import type { DatasetContract } from '../../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import {
  type ByteRange,
  DEFAULT_LIMITS,
  type SchemaValidateConfig,
  type SchemaValidatePorts,
} from '../ports.ts';
import type { ValidateFileInput } from '../schema-validate.ts';

export const TEST_PAN_HMAC_KEY = 'test-pan-hmac-key-0123456789abcdef';
export const RAW_BUCKET = 'raw-bucket';

/** A raw file the fake S3 can serve: its bytes come from a function, so large files are generated lazily. */
export interface RawFile {
  readonly key: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  body(): AsyncIterable<Uint8Array>;
}

/** Test config: default limits, test buckets and key, overridable per test. */
export function testConfig(overrides: Partial<SchemaValidateConfig> = {}): SchemaValidateConfig {
  return {
    ...DEFAULT_LIMITS,
    buckets: { silver: 'silver-bucket', quarantine: 'quarantine-bucket' },
    panHmacKey: TEST_PAN_HMAC_KEY,
    ...overrides,
  };
}

/** A small raw file from text or bytes, served in chunks of `chunkBytes` (to exercise chunk boundaries). */
export function rawFile(
  content: string | Uint8Array,
  options: { key?: string; chunkBytes?: number } = {},
): RawFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const chunkBytes = options.chunkBytes ?? 7;
  return {
    key: options.key ?? 'raw/acme-bank/transactions/2024-03-01/file.csv',
    sizeBytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    async *body() {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes)
        yield bytes.subarray(offset, offset + chunkBytes);
    },
  };
}

/** The use-case input for a raw file, as FileLanded v1 would announce it. */
export function landedInput(
  file: Pick<RawFile, 'key' | 'sha256'>,
  overrides: Partial<ValidateFileInput> = {},
): ValidateFileInput {
  return {
    fileId: `f_${file.sha256.slice(0, 24)}`,
    sha256: file.sha256,
    partner: 'acme-bank',
    dataset: 'transactions',
    businessDate: '2024-03-01',
    schemaV: 1,
    raw: { bucket: RAW_BUCKET, key: file.key },
    runId: 'run_00000000000000000000000000000001',
    ...overrides,
  };
}

/** A fake S3 as a Map: raw files to read, written objects kept (or only counted, for benchmarks). */
export function memoryStore(
  options: { keepBytes?: boolean; onPut?: (ref: ObjectRef, bytes: Uint8Array) => void } = {},
) {
  const raw = new Map<string, RawFile>();
  const written = new Map<string, Uint8Array>();
  let puts = 0;
  const id = (ref: ObjectRef) => `${ref.bucket}/${ref.key}`;
  const ports: SchemaValidatePorts = {
    async openObject(ref, range) {
      const file = raw.get(id(ref));
      if (!file) throw new Error(`NoSuchKey: ${id(ref)}`);
      // Lazy, like the S3 adapter: nothing is read until the body is iterated.
      return {
        sizeBytes: file.sizeBytes,
        body: {
          [Symbol.asyncIterator]: () =>
            (range ? rangeOf(file.body(), range) : file.body())[Symbol.asyncIterator](),
        },
      };
    },
    async putObject(ref, bytes) {
      puts += 1;
      options.onPut?.(ref, bytes);
      if (options.keepBytes !== false) written.set(id(ref), bytes);
    },
  };
  return {
    ports,
    putRaw(file: RawFile) {
      raw.set(`${RAW_BUCKET}/${file.key}`, file);
    },
    object(bucket: string, key: string): Uint8Array | undefined {
      return written.get(`${bucket}/${key}`);
    },
    keys(bucket: string): string[] {
      return [...written.keys()]
        .filter((key) => key.startsWith(`${bucket}/`))
        .map((key) => key.slice(bucket.length + 1));
    },
    partsWritten: () => puts,
  };
}

/** The bytes `start`..`end` (exclusive) of a stream, in the stream's own pieces. */
async function* rangeOf(body: AsyncIterable<Uint8Array>, range: ByteRange): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for await (const bytes of body) {
    const from = Math.max(range.start - offset, 0);
    const to = Math.min(range.end - offset, bytes.byteLength);
    if (to > from) yield bytes.subarray(from, to);
    offset += bytes.byteLength;
    if (offset >= range.end) return;
  }
}

/** A dataset contract from the catalog, failing the test when missing. */
export function requireDataset(name: string, version = 1): DatasetContract {
  const contract = findDataset(name, version);
  if (!contract) throw new Error(`No contract ${name} v${version}`);
  return contract;
}
