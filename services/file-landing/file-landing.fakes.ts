import type { ObjectRef } from '../../contracts/events/envelope.ts';
import type { FileRecord, LandingKeyRecord } from '../../lib/file-registry/file-record.ts';
import type {
  FileLandedDetail,
  FileLandingDeps,
  FileLandingPorts,
  FileRejectedDetail,
  LandingCommitResult,
  PinnedObject,
} from './ports.ts';
import type { S3ObjectCreated } from './s3-notification.ts';

export const BUCKETS = {
  landingBucket: 'landing',
  rawBucket: 'raw',
  quarantineBucket: 'quarantine',
  panHmacKey: 'test-pan-hmac-key-0123456789',
} as const;

/** An in-memory world for the use case: objects, registry items and committed events, with counters. */
export class FakeWorld {
  readonly objects = new Map<string, Uint8Array>();
  readonly files = new Map<string, FileRecord>();
  readonly landingKeys = new Map<string, LandingKeyRecord>();
  /** S3 uploads landed or counted, as the registry's `UPLOAD#` items remember them. */
  readonly uploads = new Set<string>();
  /** Which file each remembered upload delivered. */
  private readonly uploadFiles = new Map<string, string>();
  readonly events: (FileLandedDetail | FileRejectedDetail)[] = [];
  readonly copies: { source: PinnedObject; target: ObjectRef }[] = [];
  readonly deletes: ObjectRef[] = [];
  readonly reads: string[] = [];
  /** Runs just before a landing commit is applied, to simulate a concurrent delivery. */
  beforeCommit: (() => void) | undefined;
  private ids = 0;
  private clock = Date.parse('2026-11-20T06:13:00.000Z');

  put(bucket: string, key: string, body: string | Uint8Array): void {
    this.objects.set(`${bucket}/${key}`, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  object(ref: ObjectRef): Uint8Array | undefined {
    return this.objects.get(`${ref.bucket}/${ref.key}`);
  }

  deps(overrides: Partial<FileLandingDeps['settings']> = {}): FileLandingDeps {
    return { ports: this.ports(), settings: { ...BUCKETS, maxObjectBytes: 1024 * 1024, ...overrides } };
  }

  private ports(): FileLandingPorts {
    return {
      headObject: async (object) => {
        const body = this.object(object);
        return body ? { sizeBytes: body.length, etag: `"etag-${body.length}"` } : undefined;
      },
      readObject: (object) => this.stream(object),
      copyObject: async ({ source, target }) => {
        const body = this.object(source);
        if (!body) throw new Error(`copy source ${source.key} missing`);
        this.copies.push({ source, target });
        this.objects.set(`${target.bucket}/${target.key}`, body);
      },
      deleteObject: async (object) => {
        this.deletes.push({ bucket: object.bucket, key: object.key });
        this.objects.delete(`${object.bucket}/${object.key}`);
      },
      getFile: async (fileId) => this.files.get(fileId),
      getLandingKey: async (landing) => this.landingKeys.get(`KEY#${landing.bucket}/${landing.key}`),
      commitLanding: async ({
        file,
        landingKey,
        expectedPreviousFileId,
        event,
        upload,
      }): Promise<LandingCommitResult> => {
        const hook = this.beforeCommit;
        this.beforeCommit = undefined;
        hook?.();
        if (this.files.has(file.fileId)) return 'file-exists';
        if ((this.landingKeys.get(landingKey.pk)?.fileId ?? null) !== expectedPreviousFileId)
          return 'landing-key-moved';
        this.files.set(file.fileId, structuredClone(file));
        this.uploads.add(upload);
        this.uploadFiles.set(upload, file.fileId);
        this.landingKeys.set(landingKey.pk, structuredClone(landingKey));
        this.events.push(structuredClone(event));
        return 'committed';
      },
      recordRedelivery: async ({ fileId, landingKey, upload }) => {
        const file = this.files.get(fileId);
        if (!file) throw new Error(`no file ${fileId}`);
        if (this.uploads.has(upload)) return 'already-seen';
        this.uploads.add(upload);
        this.uploadFiles.set(upload, fileId);
        file.redeliveries += 1;
        if (!this.landingKeys.has(landingKey.pk))
          this.landingKeys.set(landingKey.pk, structuredClone(landingKey));
        return 'counted';
      },
      getUpload: async (upload) => {
        const fileId = this.uploadFiles.get(upload);
        return fileId ? { fileId } : undefined;
      },
      commitRejection: async (event) => {
        if (this.events.some((existing) => existing.eventId === event.eventId)) return 'duplicate';
        this.events.push(structuredClone(event));
        return 'committed';
      },
      now: () => new Date(this.clock++),
      newId: () => `00000000-0000-4000-8000-${String(++this.ids).padStart(12, '0')}`,
    };
  }

  /** Streams the object in 7-byte chunks, so every test crosses chunk boundaries. */
  private async *stream(object: PinnedObject): AsyncIterable<Uint8Array> {
    this.reads.push(object.key);
    const body = this.object(object);
    if (!body) throw new Error(`read of missing ${object.key}`);
    for (let offset = 0; offset < body.length; offset += 7) yield body.subarray(offset, offset + 7);
  }
}

let sequence = 0;

/** An S3 Object Created notification for a key in the fake landing bucket. */
export function notice(key: string, overrides: Partial<S3ObjectCreated> = {}): S3ObjectCreated {
  sequence += 1;
  return {
    eventId: `00000000-0000-4000-9000-${String(sequence).padStart(12, '0')}`,
    time: '2026-11-20T06:12:45Z',
    bucket: BUCKETS.landingBucket,
    key,
    size: null,
    etag: `etag-${sequence}`,
    versionId: null,
    sequencer: null,
    ...overrides,
  };
}
