import { describe, expect, it } from 'vitest';
import { type BusEntry, type PublishResult, type RelayPorts, relayEntries } from './relay.ts';

function entry(n: number): BusEntry {
  return {
    eventId: `e${n}`,
    source: 'finledger.test',
    detailType: 'Thing',
    detail: '{}',
    time: '2026-11-23T00:00:00Z',
  };
}

function recordingPorts(publish: (entries: BusEntry[]) => Promise<PublishResult[]>) {
  const published: string[] = [];
  const failed: Array<[string, string]> = [];
  const calls: number[] = [];
  const ports: RelayPorts = {
    publish: async (entries) => {
      calls.push(entries.length);
      return publish(entries);
    },
    markPublished: async (id) => {
      published.push(id);
    },
    recordFailure: async (id, error) => {
      failed.push([id, error]);
    },
  };
  return { ports, published, failed, calls };
}

describe('relayEntries', () => {
  it('sends at most 10 entries per PutEvents and marks every accepted entry', async () => {
    // Prepare
    const { ports, published, calls } = recordingPorts(async (entries) =>
      entries.map((e) => ({ eventId: e.eventId, ok: true })),
    );
    const entries = Array.from({ length: 23 }, (_, i) => entry(i));

    // Act
    const report = await relayEntries(entries, ports);

    // Assess
    expect(calls).toEqual([10, 10, 3]);
    expect(published).toHaveLength(23);
    expect(report).toEqual({ published: 23, failed: 0, errors: [] });
  });

  it('leaves an entry refused inside a 200 response pending and marks the rest', async () => {
    const { ports, published, failed } = recordingPorts(async (entries) =>
      entries.map((e) =>
        e.eventId === 'e1'
          ? { eventId: e.eventId, ok: false, error: 'InternalFailure: boom' }
          : { eventId: e.eventId, ok: true },
      ),
    );

    const report = await relayEntries([entry(0), entry(1), entry(2)], ports);

    expect(published).toEqual(['e0', 'e2']);
    expect(failed).toEqual([['e1', 'InternalFailure: boom']]);
    expect(report.failed).toBe(1);
  });

  it('treats a failed call as a failure of every entry in it, without throwing', async () => {
    const { ports, published, failed } = recordingPorts(async () => {
      throw new Error('connection reset');
    });

    const report = await relayEntries([entry(0), entry(1)], ports);

    expect(published).toEqual([]);
    expect(failed.map(([id]) => id)).toEqual(['e0', 'e1']);
    expect(report.errors).toEqual(['e0: connection reset', 'e1: connection reset']);
  });
});
