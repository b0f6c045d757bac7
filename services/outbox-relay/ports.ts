import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import type { RelayPorts } from '../../lib/outbox/relay.ts';

/** What the relay service needs: publishing and marking (lib/outbox), the pending sweep, and an entry's status. */
export interface OutboxRelayPorts extends RelayPorts {
  listPending(): Promise<OutboxItem[]>;
  /** The entry's status as stored now (a consistent read); undefined when the row no longer exists. */
  currentStatus(eventId: string): Promise<OutboxItem['status'] | undefined>;
}
