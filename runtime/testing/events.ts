import { randomUUID } from 'node:crypto';

/** A `detail` with finledger's envelope, for routing tests (the payload is not what the bus checks). */
export function fileLandedDetail(
  version: number,
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    producer: 'file-landing',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    runId: 'run-1',
    type: 'FileLanded',
    version,
    data,
  };
}

/** S3's EventBridge "Object Created" detail for one object. */
export function objectCreatedDetail(bucket: string, key: string): Record<string, unknown> {
  return {
    version: '0',
    bucket: { name: bucket },
    object: { key, size: 4, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0062E99A88DC407460' },
    'request-id': 'REQ1',
    requester: '000000000000',
    'source-ip-address': '127.0.0.1',
    reason: 'PutObject',
  };
}
