import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sqsUnitDispatch } from './sqs-unit-dispatch.ts';
import type { WorkUnit } from './work-unit.ts';

type Batch = { QueueUrl: string; Entries: { Id: string; MessageBody: string }[] };

/** An SQS client whose SendMessageBatch refuses the ids `refuse` names, for as many calls as it says. */
function refusingSqs(refuse: (call: number, id: string) => boolean) {
  const batches: Batch[] = [];
  const sqs = {
    send: async (command: { input: Batch }) => {
      batches.push(command.input);
      const call = batches.length;
      const failed = command.input.Entries.filter((entry) => refuse(call, entry.Id));
      return {
        Failed: failed.map((entry) => ({
          Id: entry.Id,
          Code: 'ThrottlingException',
          Message: 'slow down',
          SenderFault: false,
        })),
      };
    },
  } as unknown as SQSClient;
  return { sqs, batches };
}

const units: WorkUnit[] = Array.from({ length: 23 }, (_, index) => ({
  fileId: 'f_1',
  runId: 'run_1',
  index,
}));

describe('sqsUnitDispatch', () => {
  it('sends units ten per batch to the queue, each once, as JSON', async () => {
    const { sqs, batches } = refusingSqs(() => false);

    await sqsUnitDispatch(sqs, () => 'https://sqs/units', 'FileLanded')(units);

    expect(batches.map((batch) => batch.Entries.length)).toEqual([10, 10, 3]);
    expect(batches.every((batch) => batch.QueueUrl === 'https://sqs/units')).toBe(true);
    expect(batches.flatMap((batch) => batch.Entries.map((entry) => JSON.parse(entry.MessageBody)))).toEqual(
      units,
    );
  });

  it('sends again only the entries a batch refused', async () => {
    const { sqs, batches } = refusingSqs((call, id) => call === 1 && (id === '3' || id === '7'));

    await sqsUnitDispatch(sqs, () => 'https://sqs/units', 'FileLanded')(units.slice(0, 10));

    expect(batches.map((batch) => batch.Entries.map((entry) => entry.Id))).toEqual([
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['3', '7'],
    ]);
  });

  it('fails, naming the refusal and what happens next, when SQS keeps refusing an entry', async () => {
    const { sqs, batches } = refusingSqs((_, id) => id === '4');

    await expect(
      sqsUnitDispatch(sqs, () => 'https://sqs/units', 'FileLanded')(units.slice(0, 5)),
    ).rejects.toThrow(
      /SQS refused 1 work unit\(s\) 3 times \(ThrottlingException: slow down\); FileLanded is retried/,
    );
    expect(batches).toHaveLength(3);
  });
});
