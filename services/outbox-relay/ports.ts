import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import type { RelayPorts } from '../../lib/outbox/relay.ts';

/** What the relay service needs: publishing and marking (lib/outbox) plus the pending sweep. */
export interface OutboxRelayPorts extends RelayPorts {
  listPending(): Promise<OutboxItem[]>;
}
