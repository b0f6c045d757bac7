import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { numberFromEnv } from '../../lib/env.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { DynamoOutboxStore } from '../../lib/outbox/dynamo-outbox-store.ts';
import { eventBridgePublisher } from '../../lib/outbox/eventbridge-publisher.ts';
import { relayEntries, toBusEntry } from '../../lib/outbox/relay.ts';
import { resources } from '../../lib/resources.ts';
import type { WatchdogPolicy } from './completeness-watchdog.ts';
import type { WatchdogPorts } from './ports.ts';

/** SLA and re-drive limit, from the environment (stacks/ per stage; the local runtime for offline runs). */
export function watchdogPolicy(env: NodeJS.ProcessEnv = process.env): WatchdogPolicy {
  return {
    slaSeconds: numberFromEnv('FINLEDGER_FILE_SLA_SECONDS', 600, env),
    maxRedrives: numberFromEnv('FINLEDGER_MAX_REDRIVES', 3, env),
  };
}

/** The watchdog's ports on the real registry, outbox and bus; built on first use. */
export const watchdogPorts = perEnvironment((): WatchdogPorts => {
  const clients = sharedAwsClients();
  const files = new FileRegistryStore(clients.doc, resources.table('files'));
  const outbox = new DynamoOutboxStore(clients.doc, resources.table('outbox'));
  const publish = eventBridgePublisher(clients.eventbridge, resources.busName());
  return {
    listOpen: (before) => files.listOpen(before),
    async republish(eventId) {
      const entry = await outbox.get(eventId);
      if (!entry) return false;
      const report = await relayEntries([toBusEntry(entry)], {
        publish,
        markPublished: (id) => outbox.markPublished(id),
        recordFailure: (id, error) => outbox.recordFailure(id, error),
      });
      return report.published === 1;
    },
    recordRedrive: async (fileId, at) => (await files.recordRedrive(fileId, at)) !== null,
  };
});
