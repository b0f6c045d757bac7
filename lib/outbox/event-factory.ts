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
 * Build the `detail` of an event and validate it against its contract before it can reach the outbox.
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
  return parsed.data as z.infer<D['schema']>;
}
