import { topology } from '../topology/topology.ts';
import type { Topology } from '../topology/types.ts';
import { eventCatalog } from './events/catalog.ts';
import { eventJsonSchema } from './registry.ts';

/** JSON Schema draft 2020-12 as zod emits it, minus what AsyncAPI's draft-07 schema format does not take. */
function payloadSchema(event: (typeof eventCatalog)[number]): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...schema } = eventJsonSchema(event);
  return schema;
}

const channelId = (type: string, version: number) => `${type}.v${version}`;
const messageId = (type: string, version: number) => `${type}V${version}`;

/**
 * The whole bus as an AsyncAPI 3.0 document: a channel per event version (and per AWS-native event finledger
 * consumes) with its payload schema from the zod contract, a `send` operation per producer and a `receive` operation
 * per consumer, both from the topology (`publishes`, subscriptions). For reviewers and tooling; nothing reads it back.
 * @see https://www.asyncapi.com/docs/reference/specification/v3.0.0
 * @example asyncApiDocument().operations['schema-validate.receive.FileLanded.v1'].action // 'receive'
 */
export function asyncApiDocument(from: Topology = topology) {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const operation = (
    party: string,
    action: 'send' | 'receive',
    channel: string,
    message: string,
    summary: string,
  ) => {
    operations[`${party}.${action}.${channel}`] = {
      action,
      summary,
      channel: { $ref: `#/channels/${channel}` },
      messages: [{ $ref: `#/channels/${channel}/messages/${message}` }],
    };
  };
  for (const event of eventCatalog) {
    const channel = channelId(event.type, event.version);
    const message = messageId(event.type, event.version);
    channels[channel] = {
      address: `${from.busName}:${event.type}:v${event.version}`,
      title: `${event.type} v${event.version}`,
      description: `EventBridge detail-type \`${event.type}\`, rules match \`detail.version\` = ${event.version}. Claim-check: S3 references and counts, never record sets.`,
      messages: {
        [message]: {
          name: event.type,
          title: `${event.type} v${event.version}`,
          summary: event.description.slice(0, 200),
          contentType: 'application/json',
          payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: payloadSchema(event) },
        },
      },
    };
  }
  for (const party of [...from.services, ...from.workers])
    for (const published of party.publishes ?? [])
      operation(
        party.name,
        'send',
        channelId(published.type, published.version),
        messageId(published.type, published.version),
        `${party.name} puts ${published.type} v${published.version} in its outbox; the relay publishes it.`,
      );
  for (const service of from.services)
    for (const subscription of service.subscriptions) {
      if (subscription.kind === 'event') {
        operation(
          service.name,
          'receive',
          channelId(subscription.type, subscription.version),
          messageId(subscription.type, subscription.version),
          `${service.name} consumes ${subscription.type} v${subscription.version} from its own queue (DLQ after maxReceiveCount).`,
        );
        continue;
      }
      const channel = `${subscription.source}.${subscription.detailType.replaceAll(' ', '')}.${subscription.bucket}`;
      channels[channel] ??= {
        address: `default:${subscription.source}:${subscription.detailType}:${subscription.bucket}`,
        title: `${subscription.detailType} (${subscription.source}, bucket ${subscription.bucket})`,
        description: `AWS-native: S3 sends it to the account's default bus; finledger does not own its schema.`,
        messages: {
          Notification: {
            name: subscription.detailType,
            contentType: 'application/json',
            payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: { type: 'object' } },
          },
        },
      };
      operation(
        service.name,
        'receive',
        channel,
        'Notification',
        `${service.name} consumes ${subscription.detailType} of ${subscription.bucket}.`,
      );
    }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'finledger events',
      version: '1',
      description:
        'Every event on the finledger bus, who sends and who receives it. Generated from contracts/events and topology/topology.ts (`finledger schemas asyncapi`).',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
  };
}
