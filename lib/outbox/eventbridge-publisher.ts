import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BusEntry, PublishResult } from './relay.ts';

/**
 * Publish through the real PutEvents API (the local bus speaks the same protocol).
 * PutEvents can return 200 with `FailedEntryCount` > 0: each entry's result is read, in order.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export function eventBridgePublisher(client: EventBridgeClient, busName: string) {
  return async (entries: BusEntry[]): Promise<PublishResult[]> => {
    const response = await client.send(
      new PutEventsCommand({
        Entries: entries.map((entry) => ({
          EventBusName: busName,
          Source: entry.source,
          DetailType: entry.detailType,
          Detail: entry.detail,
          Time: new Date(entry.time),
        })),
      }),
    );
    const results = response.Entries ?? [];
    return entries.map((entry, index): PublishResult => {
      const result = results[index];
      if (!result)
        return { eventId: entry.eventId, ok: false, error: 'PutEvents returned no result for this entry' };
      if (result.ErrorCode)
        return {
          eventId: entry.eventId,
          ok: false,
          error: `${result.ErrorCode}: ${result.ErrorMessage ?? ''}`,
        };
      return { eventId: entry.eventId, ok: true };
    });
  };
}
