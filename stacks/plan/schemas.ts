import { z } from 'zod';
import type { eventCatalog } from '../../contracts/events/catalog.ts';
import { eventParties } from '../../topology/event-parties.ts';
import type { Topology } from '../../topology/types.ts';
import { names } from './names.ts';

type EventDefinition = (typeof eventCatalog)[number];

/** One EventBridge Schemas entry, generated from the zod contract so the registry cannot drift. */
export interface SchemaPlan {
  readonly name: string;
  /** Registry schema name: `finledger@<Type>-v<N>` (AWS names its own `<source>@<DetailType>`). */
  readonly schemaName: string;
  /**
   * EventBridge Schemas accepts OpenAPI 3 and JSON Schema Draft 4 only.
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-schema.html
   */
  readonly type: 'JSONSchemaDraft4';
  readonly description: string;
  readonly content: string;
}

/**
 * JSON Schema (draft 4) of the whole EventBridge event: detail-type, and `detail` from the contract.
 * `io: 'input'` describes what producers may send (defaults not yet applied).
 */
export function eventJsonSchema(event: EventDefinition): Record<string, unknown> {
  const { $schema, ...detail } = z.toJSONSchema(event.schema, { target: 'draft-04', io: 'input' });
  return {
    $schema,
    title: `${event.type} v${event.version}`,
    description: event.description,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      'detail-type': { type: 'string', enum: [event.type] },
      source: { type: 'string', pattern: '^finledger\\.' },
      detail: detail,
    },
  };
}

/** One schema per event version; the description names its producers and consumers from the topology. */
export function planSchemas(catalog: readonly EventDefinition[], from: Topology): SchemaPlan[] {
  return catalog.map((event) => {
    const parties = eventParties(event.type, event.version, from);
    return {
      name: names.schema(event.type, event.version),
      schemaName: `finledger@${event.type}-v${event.version}`,
      type: 'JSONSchemaDraft4',
      // The registry keeps 256 characters: who produces and consumes first, so truncation cuts only prose.
      description:
        `Producers: ${parties.producers.join(', ') || 'none'}. Consumers: ${parties.consumers.join(', ') || 'none'}. ${event.description}`.slice(
          0,
          256,
        ),
      content: JSON.stringify(eventJsonSchema(event)),
    };
  });
}
