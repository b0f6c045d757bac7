import { describe, expect, it } from 'vitest';
import batch from '../../test/events/outbox-stream-batch.json' with { type: 'json' };
import failedAttempt from '../../test/events/outbox-stream-failed-attempt.json' with { type: 'json' };
import insert from '../../test/events/outbox-stream-insert.json' with { type: 'json' };
import published from '../../test/events/outbox-stream-published.json' with { type: 'json' };
import ttlRemove from '../../test/events/outbox-stream-ttl-remove.json' with { type: 'json' };
import { MissingSequenceNumberError, PublishRefusedError, UnreadableStreamRecordError } from './errors.ts';
import { onOutboxStream } from './handler.ts';
import {
  eventIdOf,
  FakeOutbox,
  imageOf,
  recordAt,
  recordingLog,
  sequenceOf,
  streamEvent,
} from './outbox-relay.fakes.ts';

const refusal = 'ThrottlingException: Rate exceeded';

type Image = ReturnType<typeof imageOf>;

describe('onOutboxStream', () => {
  it('publishes a pending entry once, verbatim, and marks it published', async () => {
    // Prepare
    const event = streamEvent(insert);
    const record = recordAt(event);
    const eventId = eventIdOf(record);
    const outbox = new FakeOutbox().holding([eventId]);

    // Act
    const response = await onOutboxStream(event, outbox.ports(), recordingLog().log);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(outbox.bus).toEqual([
      {
        eventId,
        source: 'finledger.file-landing',
        detailType: 'FileLanded',
        detail: imageOf(record).detail?.S,
        time: '2026-11-20T06:12:47.318Z',
      },
    ]);
    expect(outbox.rows.get(eventId)).toEqual({ status: 'PUBLISHED', attempts: 0 });
  });

  it.each([
    ["the relay's own published mark (MODIFY, PUBLISHED)", published],
    ['a failed attempt recorded on a pending entry (MODIFY, PENDING)', failedAttempt],
    ['the TTL removal of a published entry (REMOVE, no image)', ttlRemove],
  ])('publishes nothing for %s', async (_case, fixture) => {
    // Prepare
    const event = streamEvent(fixture);
    const eventId = eventIdOf(recordAt(event));
    const outbox = new FakeOutbox().holding([eventId]);

    // Act
    const response = await onOutboxStream(event, outbox.ports(), recordingLog().log);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(outbox.bus).toEqual([]);
    expect(outbox.rows.get(eventId)).toEqual({ status: 'PENDING', attempts: 0 });
  });

  it('skips a pending record whose entry is already published (the sweep got there first)', async () => {
    // Prepare
    const event = streamEvent(insert);
    const outbox = new FakeOutbox().holding([eventIdOf(recordAt(event))], 'PUBLISHED');

    // Act
    const response = await onOutboxStream(event, outbox.ports(), recordingLog().log);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(outbox.bus).toEqual([]);
  });

  it('reports the refused record and every record after it, and leaves those pending', async () => {
    // Prepare
    const event = streamEvent(batch);
    const [first, refused, after] = [0, 1, 2].map((index) => eventIdOf(recordAt(event, index))) as [
      string,
      string,
      string,
    ];
    const outbox = new FakeOutbox().holding([first, refused, after]).refusing(refused, refusal);
    const { log, errors } = recordingLog();

    // Act
    const response = await onOutboxStream(event, outbox.ports(), log);

    // Assess
    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: sequenceOf(recordAt(event, 1)) },
        { itemIdentifier: sequenceOf(recordAt(event, 2)) },
      ],
    });
    expect(outbox.published()).toEqual([first]);
    expect(outbox.rows.get(first)?.status).toBe('PUBLISHED');
    expect(outbox.rows.get(refused)).toEqual({ status: 'PENDING', attempts: 1, lastError: refusal });
    expect(outbox.rows.get(after)).toEqual({ status: 'PENDING', attempts: 0 });
    expect(errors()).toEqual([expect.any(PublishRefusedError)]);
  });

  it.each([
    ['from the refused record, as the partial batch response asks', 1],
    ['whole, as after a timeout', 0],
  ])('publishes every entry exactly once when Lambda re-sends the batch %s', async (_case, from) => {
    // Prepare
    const event = streamEvent(batch);
    const ids = event.Records.map((record) => eventIdOf(record));
    const outbox = new FakeOutbox().holding(ids).refusing(ids[1] ?? '', refusal);
    await onOutboxStream(event, outbox.ports(), recordingLog().log);
    outbox.refusals.clear();

    // Act
    const response = await onOutboxStream(
      { Records: event.Records.slice(from) },
      outbox.ports(),
      recordingLog().log,
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(outbox.published()).toEqual(ids);
    expect(ids.map((id) => outbox.rows.get(id)?.status)).toEqual(['PUBLISHED', 'PUBLISHED', 'PUBLISHED']);
  });

  it.each([
    ['a detail that is not JSON', (image: Image) => Object.assign(image, { detail: { S: '{"eventId":' } })],
    ['no status', (image: Image) => delete image.status],
    ['an unknown status', (image: Image) => Object.assign(image, { status: { S: 'SENT' } })],
    ['an event id that is a number', (image: Image) => Object.assign(image, { eventId: { N: '7' } })],
    [
      'an attribute DynamoDB JSON does not define',
      (image: Image) => Object.assign(image, { type: { Q: 'x' } }),
    ],
  ])('fails a record whose NEW_IMAGE has %s, telling the operator what to do', async (_case, damage) => {
    // Prepare
    const event = streamEvent(insert);
    const record = recordAt(event);
    damage(imageOf(record));
    const outbox = new FakeOutbox().holding([eventIdOf(record)]);
    const { log, errors } = recordingLog();

    // Act
    const response = await onOutboxStream(event, outbox.ports(), log);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOf(record) }] });
    expect(outbox.bus).toEqual([]);
    const [error] = errors();
    expect(error).toBeInstanceOf(UnreadableStreamRecordError);
    expect(error?.message).toMatch(
      /^Outbox stream record 4421584500000000017450439091 \(row EVT#0b6a2d3e-8f41-4c7a-9e25-3d1f6b8a4c07\) cannot be relayed: .+OutboxRelayDlq/,
    );
  });

  it('fails an insert that carries no NEW_IMAGE, naming the stream view to fix', async () => {
    // Prepare
    const event = streamEvent(insert);
    const record = recordAt(event);
    delete record.dynamodb?.NewImage;
    const outbox = new FakeOutbox().holding([eventIdOf(record)]);
    const { log, errors } = recordingLog();

    // Act
    const response = await onOutboxStream(event, outbox.ports(), log);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceOf(record) }] });
    expect(outbox.bus).toEqual([]);
    expect(errors()[0]?.message).toMatch(/has no NEW_IMAGE.+must be NEW_IMAGE/);
  });

  it('throws, so the whole batch is retried, when a record has no sequence number to report', async () => {
    // Prepare
    const event = streamEvent(batch);
    delete recordAt(event, 2).dynamodb?.SequenceNumber;
    const outbox = new FakeOutbox().holding(event.Records.map((record) => eventIdOf(record)));

    // Act
    const relaying = onOutboxStream(event, outbox.ports(), recordingLog().log);

    // Assess
    await expect(relaying).rejects.toThrow(MissingSequenceNumberError);
    expect(outbox.bus).toEqual([]);
  });
});
