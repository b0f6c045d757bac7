/** Base class of every error the outbox relay raises on purpose; callers branch with `instanceof`. */
export class OutboxRelayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A stream record whose NEW_IMAGE is not an outbox entry the relay can publish: a writer or wiring bug. */
export class UnreadableStreamRecordError extends OutboxRelayError {
  constructor(
    readonly sequenceNumber: string,
    /** The row's key (`EVT#<eventId>`), when the record carries one. */
    readonly key: string | undefined,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `Outbox stream record ${sequenceNumber} (row ${key ?? 'with no key'}) cannot be relayed: ${problem}. Nothing was published. ` +
        'Lambda retries it, then sends the batch to OutboxRelayDlq (stacks/README.md#dlq-not-empty). Read the row in the outbox table: ' +
        'if it is not what lib/outbox/outbox-item.ts writes, fix its producer and repair the row (the sweep publishes it while it is PENDING); ' +
        'if the record has no NEW_IMAGE, the table stream must be NEW_IMAGE (topology/topology.ts).',
      options,
    );
  }
}

/** The bus refused an entry (PutEvents per-entry `ErrorCode`, or the call failed); it stays pending. */
export class PublishRefusedError extends OutboxRelayError {
  constructor(
    readonly eventId: string,
    readonly sequenceNumber: string,
    /** What the bus said, as the relay reports it (`<eventId>: <ErrorCode>: <ErrorMessage>`). */
    readonly reason: string,
  ) {
    super(
      `The bus refused the outbox entry of stream record ${sequenceNumber} (${reason}). It stays PENDING with the error in lastError; ` +
        'Lambda re-sends the record (up to 10 times) and the sweep retries every minute. If it persists, check the bus and the entry.',
    );
  }
}

/** A record after a failed one in the same batch: left unattempted so the shard is relayed in order. */
export class AfterFailedRecordError extends OutboxRelayError {
  constructor(
    readonly sequenceNumber: string,
    readonly failedSequenceNumber: string,
  ) {
    super(
      `Stream record ${sequenceNumber} was not attempted: record ${failedSequenceNumber} before it failed, and Lambda re-sends both, in order.`,
    );
  }
}

/** A record with no sequence number cannot be reported as a partial failure, so the whole batch is retried. */
export class MissingSequenceNumberError extends OutboxRelayError {
  constructor(readonly eventId: string | undefined) {
    super(
      `Stream record ${eventId ?? '(no eventID)'} has no dynamodb.SequenceNumber, so its failure could not be reported; the whole batch is retried. ` +
        'Lambda always sets one: check what invoked the relay with this event.',
    );
  }
}
