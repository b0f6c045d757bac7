import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EventDefinition } from '../../contracts/events/envelope.ts';

/** Envelope fields a producer supplies; eventId and occurredAt default to fresh values. */
export interface EventOrigin {
  producer: string;
  correlationId: string;
  causationId: string;
  runId: string;
  eventId?: string;
  occurredAt?: string;
}

/** Thrown when a producer builds an event its contract refuses: a bug, never a business outcome. */
export class ContractViolationError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly issues: string,
    options?: ErrorOptions,
  ) {
    super(
      `Event ${eventType} v${version} does not match its contract: ${issues}. Fix the producer; nothing was published.`,
      options,
    );
    this.name = 'ContractViolationError';
  }
}

/**
 * Most bytes of an event's detail JSON: EventBridge refuses an entry over 256 KiB (detail, detail type, source and
 * resources together), so the rest of the entry keeps 16 KiB.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const MAX_EVENT_DETAIL_BYTES = 240 * 1024;

/** Thrown when an event would be too large for the bus: refused before it reaches the outbox, not at the relay. */
export class EventTooLargeError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly bytes: number,
  ) {
    super(
      `Event ${eventType} v${version} is ${bytes} bytes, over the ${MAX_EVENT_DETAIL_BYTES} bytes the bus takes (its part lists grow with the data it refers to). Nothing was published; the message goes to the DLQ. Split the input (ask the partner for smaller files) or raise the rows per part, then redrive.`,
    );
    this.name = 'EventTooLargeError';
  }
}

/**
 * Build the `detail` of an event and validate it against its contract and the bus's size limit before it can reach
 * the outbox.
 * @example createEvent(FileLandedV1, { producer: 'file-landing', correlationId, causationId, runId }, data)
 */
export function createEvent<D extends EventDefinition<string, number, z.ZodType>>(
  definition: D,
  origin: EventOrigin,
  data: z.input<D['payload']>,
): z.infer<D['schema']> {
  const candidate = {
    eventId: origin.eventId ?? randomUUID(),
    occurredAt: origin.occurredAt ?? new Date().toISOString(),
    producer: origin.producer,
    correlationId: origin.correlationId,
    causationId: origin.causationId,
    runId: origin.runId,
    type: definition.type,
    version: definition.version,
    data,
  };
  const parsed = definition.schema.safeParse(candidate);
  if (!parsed.success) {
    throw new ContractViolationError(definition.type, definition.version, parsed.error.message);
  }
  const bytes = Buffer.byteLength(JSON.stringify(parsed.data));
  if (bytes > MAX_EVENT_DETAIL_BYTES)
    throw new EventTooLargeError(definition.type, definition.version, bytes);
  return parsed.data as z.infer<D['schema']>;
}
