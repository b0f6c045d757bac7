import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { writeObject } from './write-object.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  parquet: 'application/vnd.apache.parquet',
  jsonl: 'application/x-ndjson',
  json: 'application/json',
};

/**
 * Write one output part (Parquet, JSON Lines) whole, with a SHA-256 checksum S3 verifies on arrival (per part when
 * the part is large enough to go multipart, see `writeObject`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * @example await putPart(s3, { bucket, key: 'silver/…/part-00000.parquet' }, bytes)
 */
export async function putPart(s3: S3Client, ref: ObjectRef, bytes: Uint8Array): Promise<void> {
  const extension = ref.key.slice(ref.key.lastIndexOf('.') + 1);
  await writeObject(s3, {
    Bucket: ref.bucket,
    Key: ref.key,
    Body: bytes,
    ContentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    ChecksumAlgorithm: 'SHA256',
  });
}
