import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { DynamoOutboxStore } from '../../lib/outbox/dynamo-outbox-store.ts';
import { eventBridgePublisher } from '../../lib/outbox/eventbridge-publisher.ts';
import { resources } from '../../lib/resources.ts';
import type { OutboxRelayPorts } from './ports.ts';

/** The relay's ports on the real outbox table and bus; built on first use, not at import. */
export const relayPorts = perEnvironment((): OutboxRelayPorts => {
  const clients = sharedAwsClients();
  const store = new DynamoOutboxStore(clients.doc, resources.table('outbox'));
  const publish = eventBridgePublisher(clients.eventbridge, resources.busName());
  return {
    publish,
    listPending: () => store.listPending(),
    currentStatus: async (eventId) => (await store.get(eventId))?.status,
    markPublished: (eventId) => store.markPublished(eventId),
    recordFailure: (eventId, error) => store.recordFailure(eventId, error),
  };
});
