import type { PipelineReport } from '../cli/report.ts';

/** What `chaos/read-state-facts.ts` prints: the pipeline report of the state folder and the facts read beside it. */
export interface StateRead {
  readonly report: PipelineReport;
  readonly facts: StateFacts;
}

/** Marks the JSON line on the reader's stdout, whatever else a library prints. */
export const STATE_READ_MARKER = 'chaos-state-read ';

/**
 * What the harness reads directly from a state folder besides the CLI's own report (`chaos/read-state-facts.ts`
 * prints it as JSON): queue depths, S3 uploads notified vs counted by file-landing, rerun records, archive shape.
 */
export interface StateFacts {
  /** Every queue of the topology (service queue, SQS DLQ, bus rule-target DLQ), messages by state. */
  readonly queues: readonly QueueFacts[];
  /** Per DLQ message: queue and the first bytes of its body, for the failure printout (not compared). */
  readonly dlqMessages: readonly { readonly queue: string; readonly body: string }[];
  /** Landing uploads announced on the bus (archived `Object Created`), one per PUT. */
  readonly notifiedUploads: readonly UploadRef[];
  /** Uploads file-landing recorded (`UPLOAD#…` items): a landing or a counted re-delivery of a file. */
  readonly countedUploads: readonly (UploadRef & { readonly fileId: string })[];
  /** Rerun records (`RUN#<runId>`), to resume an interrupted rerun by its id. */
  readonly reruns: readonly RerunFacts[];
  readonly archive: {
    readonly events: number;
    /** Archived events whose event id was archived before: an at-least-once re-publish after a crash. */
    readonly republished: number;
  };
}

export interface QueueFacts {
  readonly name: string;
  readonly service: string;
  readonly kind: 'queue' | 'dlq' | 'bus-dlq';
  readonly ready: number;
  readonly delayed: number;
  readonly inFlight: number;
}

/** One PUT: `bucket/key` and the version (S3 version id, else its sequencer) that names it. */
export interface UploadRef {
  readonly object: string;
  readonly version: string;
}

export interface RerunFacts {
  readonly runId: string;
  readonly from: string;
  readonly to: string;
  readonly requestedAt: string;
  readonly fileCount: number;
}

const UPLOAD_PREFIX = 'UPLOAD#file-landing:';

/**
 * The PUT an `UPLOAD#` item records (`deliveryIdempotencyKey` in services/file-landing/s3-notification.ts).
 * @example uploadOfItemKey('UPLOAD#file-landing:landing/inbound/a/b/c.csv:0001') // { object: 'landing/inbound/a/b/c.csv', version: '0001' }
 */
export function uploadOfItemKey(pk: string): UploadRef | null {
  if (!pk.startsWith(UPLOAD_PREFIX)) return null;
  const rest = pk.slice(UPLOAD_PREFIX.length);
  const split = rest.lastIndexOf(':');
  if (split <= 0) return null;
  return { object: rest.slice(0, split), version: rest.slice(split + 1) };
}

const uploadId = (upload: UploadRef) => `${upload.object}:${upload.version}`;

/**
 * Uploads announced but never counted by file-landing, per object (a delivery lost across a crash), and per file the
 * uploads it counted. A key holding a card number is recorded masked, so it never matches: none is in the sample set.
 */
export function deliveryBalance(facts: Pick<StateFacts, 'notifiedUploads' | 'countedUploads'>): {
  readonly uncounted: Record<string, number>;
  readonly countedPerFile: Record<string, number>;
} {
  const counted = new Set(facts.countedUploads.map(uploadId));
  const uncounted: Record<string, number> = {};
  for (const upload of new Map(facts.notifiedUploads.map((item) => [uploadId(item), item])).values()) {
    if (!counted.has(uploadId(upload))) uncounted[upload.object] = (uncounted[upload.object] ?? 0) + 1;
  }
  const countedPerFile: Record<string, number> = {};
  for (const upload of facts.countedUploads)
    countedPerFile[upload.fileId] = (countedPerFile[upload.fileId] ?? 0) + 1;
  return { uncounted, countedPerFile };
}
