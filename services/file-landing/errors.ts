/** Base class of every error file-landing raises on purpose; callers branch with `instanceof`. */
export class FileLandingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The notified object is gone (deleted or overwritten before we read it), or the event named another key. */
export class LandingObjectMissingError extends FileLandingError {
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(
      `Object ${JSON.stringify(key)} is not in bucket ${bucket}. It was deleted or replaced after the notification; check the landing bucket and ask the partner to re-deliver if the file is missing. The event stays in the DLQ after its retries.`,
      options,
    );
  }
}

/** The object's bytes differ in length from what HeadObject reported: it changed while we read it. */
export class ObjectChangedError extends FileLandingError {
  constructor(
    readonly expectedBytes: number,
    readonly readBytes: number,
  ) {
    super(
      `Expected ${expectedBytes} bytes but read ${readBytes}: the object changed while it was read. The delivery is retried; nothing was registered.`,
    );
  }
}

/** A notification from a bucket other than the landing bucket: a bus rule or wiring bug. */
export class UnexpectedBucketError extends FileLandingError {
  constructor(
    readonly bucket: string,
    readonly landingBucket: string,
  ) {
    super(
      `Received an Object Created event for bucket ${bucket}, expected ${landingBucket}. Fix the bus rule in stacks/ or runtime/.`,
    );
  }
}

/** Other deliveries kept moving the same landing key while this one tried to commit. */
export class LandingKeyContentionError extends FileLandingError {
  constructor(
    readonly landingKey: string,
    readonly attempts: number,
  ) {
    super(
      `Landing key ${JSON.stringify(landingKey)} changed under ${attempts} commit attempts (concurrent uploads of different bytes). The delivery is retried; if it reaches the DLQ, redrive it once uploads have stopped.`,
    );
  }
}

/** S3 reported a checksum for the copy that differs from the hash of the bytes we read. */
export class CopyIntegrityError extends FileLandingError {
  constructor(
    readonly target: { bucket: string; key: string },
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(
      `Copy to ${target.bucket}/${target.key} has sha256 ${actualSha256}, expected ${expectedSha256}. Nothing was registered; the delivery is retried. If it persists, compare the landing object with the copy.`,
    );
  }
}

/** The Object Created event's `time` is not an instant, so the file's landing time (cut-off gates) is unknown. */
export class NoticeTimeInvalidError extends FileLandingError {
  constructor(
    readonly eventId: string,
    readonly time: string,
  ) {
    super(
      `Object Created event ${eventId} has time ${JSON.stringify(time)}, not an ISO 8601 instant; its landing time cannot be recorded. S3 always sends one: check what published this event (a hand-made replay?) and re-send it with the original time.`,
    );
  }
}
