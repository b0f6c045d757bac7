import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { waitForIdle } from './idle.ts';

// No queue is watched, so the SQS client is never asked.
const noSqs = {} as SQSClient;

describe('waitForIdle', () => {
  it('runs no check while local work is in progress, then resolves after two quiet checks', async () => {
    // Prepare: work in progress for the first few looks, then none.
    let looks = 0;
    let checks = 0;
    let checksWhileBusy = 0;
    const busy = () => {
      looks++;
      return { 'poller dedup': looks <= 5 ? 1 : 0 };
    };

    // Act
    await waitForIdle({
      sqs: noSqs,
      queueUrls: [],
      busy,
      beforeCheck: async () => {
        checks++;
        if (looks <= 5) checksWhileBusy++;
      },
      intervalMs: 1,
      timeoutMs: 60_000,
    });

    // Assess
    expect(checksWhileBusy).toBe(0);
    expect(checks).toBe(2);
  });

  it('says what is still busy when it times out', async () => {
    await expect(
      waitForIdle({
        sqs: noSqs,
        queueUrls: [],
        busy: () => ({ 'poller reconcile': 1 }),
        intervalMs: 1,
        timeoutMs: 20,
      }),
    ).rejects.toThrow(/busy \[poller reconcile: 1\]/);
  });
});
