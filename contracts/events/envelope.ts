import { z } from 'zod';

/** ISO 8601 instant with an explicit offset (`Z` or `±hh:mm`); never a local time. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** A plain business date (YYYY-MM-DD) in the partner's declared zone. */
export const BusinessDateSchema = z.iso.date();

/** Claim check: where the records are, never the records themselves. */
export const ObjectRefSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/** Claim check for output written in parts (bounded memory): the folder and every part's full key. */
export const PartsRefSchema = z
  .object({
    bucket: z.string().min(1),
    prefix: z.string().min(1),
    parts: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type PartsRef = z.infer<typeof PartsRefSchema>;

/** Integer amount in minor units as a decimal string (safe beyond 2^53), e.g. "-1050". */
export const MinorUnitsSchema = z.string().regex(/^-?(0|[1-9][0-9]*)$/);

/** ISO 4217 alphabetic code. */
export const CurrencyCodeSchema = z.string().regex(/^[A-Z]{3}$/);

/** Envelope fields every finledger event carries inside EventBridge `detail`. */
export const EnvelopeFieldsSchema = z.object({
  eventId: z.uuid(),
  occurredAt: InstantSchema,
  /** Producing service; also the EventBridge `source` (prefixed `finledger.`). */
  producer: z.string().min(1),
  /** Ties every event of one file (and its downstream work) together. */
  correlationId: z.string().min(1),
  /** The event (or S3 notification) that caused this one. */
  causationId: z.string().min(1),
  runId: z.string().min(1),
});

export interface EventDefinition<Type extends string, Version extends number, Payload extends z.ZodType> {
  readonly type: Type;
  readonly version: Version;
  readonly description: string;
  /** Producers and consumers are not declared here: the topology says who publishes and subscribes (`eventParties`). */
  readonly payload: Payload;
  /** The full `detail` schema: envelope + type + version + payload. */
  readonly schema: z.ZodObject<
    {
      type: z.ZodLiteral<Type>;
      version: z.ZodLiteral<Version>;
      data: Payload;
    } & typeof EnvelopeFieldsSchema.shape
  >;
}

/**
 * Declare one version of one event. The schema is strict on envelope and payload so a producer bug
 * is caught at the edge rather than by a consumer hours later.
 * @example const FileLandedV1 = defineEvent({ type: 'FileLanded', version: 1, payload, ... })
 */
export function defineEvent<Type extends string, Version extends number, Payload extends z.ZodType>(spec: {
  type: Type;
  version: Version;
  description: string;
  payload: Payload;
}): EventDefinition<Type, Version, Payload> {
  const schema = EnvelopeFieldsSchema.extend({
    type: z.literal(spec.type),
    version: z.literal(spec.version),
    data: spec.payload,
  }).strict();
  return { ...spec, schema };
}

/** The `detail` of an event, as produced and consumed. */
export type EventDetail<D extends EventDefinition<string, number, z.ZodType>> = z.infer<D['schema']>;

/**
 * An archived or delivered detail parsed by the contract of its own version among `definitions` (the versions of one
 * event); null when its version is none of them or it breaks that version's contract.
 * @example parseDetailOfItsVersion(detail, [RecordsDeduplicatedV1, RecordsDeduplicatedV2])
 */
export function parseDetailOfItsVersion<D extends EventDefinition<string, number, z.ZodType>>(
  detail: unknown,
  definitions: readonly D[],
): EventDetail<D> | null {
  const version = (detail as { version?: unknown } | null)?.version;
  const parsed = definitions.find((candidate) => candidate.version === version)?.schema.safeParse(detail);
  return parsed?.success ? (parsed.data as EventDetail<D>) : null;
}

/** EventBridge `source` for a producing service. */
export const eventSource = (producer: string): string => `finledger.${producer}`;
