import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import { fileRecordFixture } from '../../lib/file-registry/test-support/file-record.ts';
import { decideRedrives, runWatchdog } from './completeness-watchdog.ts';
import type { WatchdogPorts } from './ports.ts';

function openFile(fileId: string, openSince: string, redrives = 0): FileRecord {
  return fileRecordFixture(fileId, {
    fileName: 'a.csv',
    landing: { bucket: 'landing', key: 'inbound/a.csv' },
    raw: { bucket: 'raw', key: 'raw/a.csv' },
    landedAt: openSince,
    stage: 'LANDED',
    stageAt: openSince,
    lastEventId: `evt-${fileId}`,
    openShard: 'OPEN',
    openSince,
    redrives,
  });
}

const now = new Date('2026-11-23T10:10:00Z');
const policy = { slaSeconds: 600, maxRedrives: 2 };

describe('decideRedrives', () => {
  it.each([
    ['re-drives a file past its SLA', openFile('a', '2026-11-23T09:59:00Z'), 'redrive'],
    ['leaves a file still within its SLA', openFile('b', '2026-11-23T10:05:00Z'), undefined],
    [
      'reports a file that reached the re-drive limit',
      openFile('c', '2026-11-23T09:00:00Z', 2),
      'report-stalled',
    ],
  ])('%s', (_name, file, action) => {
    const decisions = decideRedrives([file], now, policy);

    expect(decisions[0]?.action).toBe(action);
  });

  it('restarts the SLA clock from the last re-drive', () => {
    const file = { ...openFile('d', '2026-11-23T08:00:00Z', 1), lastRedriveAt: '2026-11-23T10:05:00Z' };

    expect(decideRedrives([file], now, policy)).toEqual([]);
  });
});

describe('runWatchdog', () => {
  function recordingPorts(open: FileRecord[], closedMeanwhile: string[] = []) {
    const calls: string[] = [];
    const ports: WatchdogPorts = {
      listOpen: async () => open,
      republish: async (eventId) => {
        calls.push(`republish ${eventId}`);
        return eventId !== 'evt-gone';
      },
      recordRedrive: async (fileId) => {
        calls.push(`count ${fileId}`);
        return !closedMeanwhile.includes(fileId);
      },
    };
    return { ports, calls };
  }

  it('counts the re-drive of an overdue file, then republishes its last committed event', async () => {
    const { ports, calls } = recordingPorts([
      openFile('a', '2026-11-23T09:00:00Z'),
      openFile('gone', '2026-11-23T09:00:00Z'),
    ]);

    const report = await runWatchdog(ports, policy, now);

    // Counted first: a re-driven file may close before a count written after the republish.
    expect(calls).toEqual(['count a', 'republish evt-a', 'count gone', 'republish evt-gone']);
    expect(report).toEqual({ open: 2, redriven: ['a'], stalled: [], unrecoverable: ['gone'] });
  });

  it('does not republish a file that closed between listing and counting', async () => {
    const { ports, calls } = recordingPorts([openFile('a', '2026-11-23T09:00:00Z')], ['a']);

    const report = await runWatchdog(ports, policy, now);

    expect(calls).toEqual(['count a']);
    expect(report).toEqual({ open: 1, redriven: [], stalled: [], unrecoverable: [] });
  });
});
