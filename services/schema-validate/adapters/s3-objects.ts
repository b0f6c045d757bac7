import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import { putPart } from '../../../lib/aws/s3-parts.ts';
import { SchemaValidateError } from '../errors.ts';
import type { SchemaValidatePorts } from '../ports.ts';

/** The raw object disappeared between HeadObject and GetObject, or came back without a body. */
export class RawObjectMissingError extends SchemaValidateError {
  constructor(readonly ref: ObjectRef) {
    super(
      `Raw object s3://${ref.bucket}/${ref.key} returned no body. Check the raw bucket; the record will be retried.`,
    );
  }
}

/**
 * S3 as schema-validate uses it: size by HeadObject before reading, a lazy GetObject stream (or one byte range of
 * the object, for a chunk) pinned to the same ETag, and PutObject of finished parts.
 */
export function s3Objects(s3: S3Client): SchemaValidatePorts {
  return {
    async openObject(ref, range) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      const etag = head.ETag;
      return {
        sizeBytes: head.ContentLength ?? 0,
        body: {
          async *[Symbol.asyncIterator]() {
            const result = await s3.send(
              // 412 if the object was replaced since HeadObject: the sized bytes are the bytes read.
              new GetObjectCommand({
                Bucket: ref.bucket,
                Key: ref.key,
                IfMatch: etag,
                ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}),
              }),
            );
            if (!result.Body) throw new RawObjectMissingError(ref);
            const body = result.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
            try {
              // In Node the body is a Readable: iterating it streams with back-pressure, never buffering the object.
              yield* body;
            } finally {
              // Stopping early (a rejection mid-file) must release the socket.
              body.destroy?.();
            }
          },
        },
      };
    },

    putObject: (ref, bytes) => putPart(s3, ref, bytes),
  };
}
