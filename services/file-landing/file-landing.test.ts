import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { FileRejectedV1 } from '../../contracts/events/file-rejected.ts';
import { fileIdOf as fileIdOfIdentity } from '../../lib/file-registry/file-record.ts';
import { LandingKeyContentionError, LandingObjectMissingError, UnexpectedBucketError } from './errors.ts';
import { BUCKETS, FakeWorld, notice } from './file-landing.fakes.ts';
import { landFile } from './file-landing.ts';
import type { S3ObjectCreated } from './s3-notification.ts';

const KEY = 'inbound/acme-bank/transactions/2026-11-19/acme-tx.csv';
const CSV = 'transaction_id,amount\ntx_a,1.00\ntx_b,2.00\nTRAILER,2,EUR=3.00\n';
const PAN = '4111111111111111';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const fileIdOf = (text: string, businessDate = '2026-11-19') =>
  fileIdOfIdentity({ partner: 'acme-bank', dataset: 'transactions', businessDate, sha256: sha(text) });

describe('landFile', () => {
  let world: FakeWorld;

  beforeEach(() => {
    world = new FakeWorld();
  });

  it('registers a new file, copies it to raw and commits one FileLanded', async () => {
    // Prepare
    world.put(BUCKETS.landingBucket, KEY, CSV);
    const input = Object.freeze(notice(KEY));

    // Act
    const outcome = await landFile(input, world.deps());

    // Assess
    const fileId = fileIdOf(CSV);
    const rawKey = `raw/source=acme-bank/dataset=transactions/dt=2026-11-19/file_id=${fileId}/acme-tx.csv`;
    expect(outcome).toMatchObject({
      outcome: 'landed',
      fileId,
      cardDataDetected: false,
      supersedesFileId: null,
    });
    expect(world.object({ bucket: 'raw', key: rawKey })).toEqual(new TextEncoder().encode(CSV));
    expect(world.events).toHaveLength(1);
    const event = FileLandedV1.schema.parse(world.events[0]);
    expect(event).toMatchObject({
      producer: 'file-landing',
      correlationId: fileId,
      causationId: input.eventId,
      data: {
        fileId,
        sha256: sha(CSV),
        sizeBytes: CSV.length,
        lineCount: 3,
        partner: 'acme-bank',
        dataset: 'transactions',
        businessDate: '2026-11-19',
        fileName: 'acme-tx.csv',
        landing: { bucket: 'landing', key: KEY },
        raw: { bucket: 'raw', key: rawKey },
        cardDataDetected: false,
        supersedesFileId: null,
        schemaV: 1,
      },
    });
    expect(world.files.get(fileId)).toMatchObject({
      pk: `FILE#${fileId}`,
      sk: 'FILE',
      day: '2026-11-19',
      daySort: `transactions#acme-bank#${fileId}#FILE`,
      stage: 'LANDED',
      openShard: 'OPEN',
      openSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      // The S3 event's time, not when the function ran: a delayed or re-driven delivery keeps its landing time.
      landedAt: '2026-11-20T06:12:45.000Z',
      runId: event.runId,
      lastEventId: event.eventId,
      redeliveries: 0,
      redrives: 0,
    });
    expect(event.runId).toMatch(/^run_[0-9a-f]{32}$/);
    expect(world.landingKeys.get(`KEY#landing/${KEY}`)).toMatchObject({ fileId, sha256: sha(CSV) });
  });

  it('lands the same bytes delivered for another business date as a file of that date', async () => {
    // Prepare: identical bytes (a daily header-only file, say) for two dates
    const nextDay = 'inbound/acme-bank/transactions/2026-11-20/acme-tx.csv';
    world.put(BUCKETS.landingBucket, KEY, CSV);
    world.put(BUCKETS.landingBucket, nextDay, CSV);
    await landFile(notice(KEY), world.deps());

    // Act
    const outcome = await landFile(notice(nextDay), world.deps());

    // Assess
    expect(outcome).toMatchObject({ outcome: 'landed', fileId: fileIdOf(CSV, '2026-11-20') });
    expect(fileIdOf(CSV, '2026-11-20')).not.toBe(fileIdOf(CSV));
    expect(world.events).toHaveLength(2);
  });

  it.each([
    ['under the same key', KEY],
    [
      'under another file name for the same date',
      'inbound/acme-bank/transactions/2026-11-19/acme-tx-again.csv',
    ],
  ])(
    'counts the same bytes delivered again %s as a redelivery, without a second event',
    async (_case, secondKey) => {
      // Prepare
      world.put(BUCKETS.landingBucket, KEY, CSV);
      world.put(BUCKETS.landingBucket, secondKey, CSV);
      await landFile(notice(KEY), world.deps());

      // Act
      const outcome = await landFile(notice(secondKey), world.deps());

      // Assess
      expect(outcome).toEqual({
        outcome: 'redelivered',
        fileId: fileIdOf(CSV),
        detectedBy: 'registry',
        counted: true,
      });
      expect(world.events).toHaveLength(1);
      expect(world.files.get(fileIdOf(CSV))?.redeliveries).toBe(1);
      expect(world.landingKeys.get(`KEY#landing/${secondKey}`)?.fileId).toBe(fileIdOf(CSV));
    },
  );

  it.each([
    ['first landing', 0],
    ['re-delivery', 1],
  ])(
    'does not count the same upload seen again (an archive replay of its %s) as a redelivery',
    async (_case, earlierRedeliveries) => {
      // Prepare
      world.put(BUCKETS.landingBucket, KEY, CSV);
      const uploads = [notice(KEY), notice(KEY)];
      for (const upload of uploads.slice(0, earlierRedeliveries + 1)) await landFile(upload, world.deps());
      const replayed = uploads[earlierRedeliveries] as S3ObjectCreated;

      // Act
      const outcome = await landFile({ ...replayed, eventId: 'replayed-event-id' }, world.deps());

      // Assess
      expect(outcome).toMatchObject({ outcome: 'redelivered', counted: false });
      expect(world.files.get(fileIdOf(CSV))?.redeliveries).toBe(earlierRedeliveries);
      expect(world.events).toHaveLength(1);
    },
  );

  it('flags new bytes under a known landing key as superseding the previous file', async () => {
    // Prepare
    const corrected = CSV.replace('2.00', '2.50').replace('EUR=3.00', 'EUR=3.50');
    world.put(BUCKETS.landingBucket, KEY, CSV);
    await landFile(notice(KEY), world.deps());
    world.put(BUCKETS.landingBucket, KEY, corrected);

    // Act
    const outcome = await landFile(notice(KEY), world.deps());

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'landed',
      fileId: fileIdOf(corrected),
      supersedesFileId: fileIdOf(CSV),
    });
    expect(world.events).toHaveLength(2);
    expect(world.events[1]).toMatchObject({ data: { supersedesFileId: fileIdOf(CSV) } });
    expect(world.files.get(fileIdOf(corrected))?.supersedesFileId).toBe(fileIdOf(CSV));
    expect(world.landingKeys.get(`KEY#landing/${KEY}`)?.fileId).toBe(fileIdOf(corrected));
  });

  it('copies a file holding card numbers to restricted/, never to raw, and emits no card digits', async () => {
    // Prepare
    const withCard = `${CSV.slice(0, -1)}\ntx_c,4111 1111 1111 1111\n`;
    world.put(BUCKETS.landingBucket, KEY, withCard);

    // Act
    const outcome = await landFile(notice(KEY), world.deps());

    // Assess
    const fileId = fileIdOf(withCard);
    const restricted = {
      bucket: 'quarantine',
      key: `restricted/source=acme-bank/dataset=transactions/dt=2026-11-19/file_id=${fileId}/acme-tx.csv`,
    };
    expect(outcome).toMatchObject({ outcome: 'landed', cardDataDetected: true, raw: restricted });
    expect(world.copies.map((copy) => copy.target)).toEqual([restricted]);
    expect([...world.objects.keys()].some((key) => key.startsWith('raw/'))).toBe(false);
    expect(world.events[0]).toMatchObject({ data: { cardDataDetected: true, raw: restricted } });
    expect(world.files.get(fileId)).toMatchObject({ cardDataDetected: true, raw: restricted });
    const emitted = JSON.stringify([
      outcome,
      world.events,
      [...world.files.values()],
      [...world.landingKeys.values()],
    ]);
    expect(emitted.replace(/[ -]/g, '')).not.toContain(PAN);
    expect(world.deletes).toEqual([{ bucket: BUCKETS.landingBucket, key: KEY }]);
  });

  it('takes a re-delivered copy of card data out of landing too, and absorbs a replay of a deleted upload', async () => {
    // Prepare
    const withCard = `${CSV.slice(0, -1)}\ntx_c,${PAN}\n`;
    world.put(BUCKETS.landingBucket, KEY, withCard);
    const first = notice(KEY);
    await landFile(first, world.deps());
    world.put(BUCKETS.landingBucket, KEY, withCard);
    const second = notice(KEY);

    // Act
    const redelivered = await landFile(second, world.deps());
    const replayed = await landFile(
      { ...first, eventId: '00000000-0000-4000-9000-999999999999' },
      world.deps(),
    );

    // Assess
    expect(redelivered).toMatchObject({ outcome: 'redelivered', counted: true });
    expect(replayed).toEqual({
      outcome: 'redelivered',
      fileId: fileIdOf(withCard),
      detectedBy: 'registry',
      counted: false,
    });
    expect(world.deletes).toHaveLength(2);
    expect(world.object({ bucket: BUCKETS.landingBucket, key: KEY })).toBeUndefined();
    expect(world.files.get(fileIdOf(withCard))?.redeliveries).toBe(1);
  });

  it('counts an upload whose card-data copy an earlier delivery of the same bytes already removed as a re-delivery', async () => {
    // Prepare: the same bytes uploaded twice; the first upload's notice is processed after the second upload
    // (a restart released it late) and deletes the object, so the second notice finds nothing.
    const withCard = `${CSV.slice(0, -1)}\ntx_c,${PAN}\n`;
    world.put(BUCKETS.landingBucket, KEY, withCard);
    await landFile(notice(KEY), world.deps());
    world.put(BUCKETS.landingBucket, KEY, withCard);
    const earlier = notice(KEY);
    world.put(BUCKETS.landingBucket, KEY, withCard);
    const later = notice(KEY, { etag: `etag-${withCard.length}` });
    await landFile(earlier, world.deps());

    // Act
    const outcome = await landFile(later, world.deps());

    // Assess
    expect(outcome).toEqual({
      outcome: 'redelivered',
      fileId: fileIdOf(withCard),
      detectedBy: 'registry',
      counted: true,
    });
    expect(world.files.get(fileIdOf(withCard))?.redeliveries).toBe(2);
  });

  it('still fails, for a retry, when a vanished upload is not the bytes the landing key last held', async () => {
    const withCard = `${CSV.slice(0, -1)}\ntx_c,${PAN}\n`;
    world.put(BUCKETS.landingBucket, KEY, withCard);
    await landFile(notice(KEY), world.deps());

    await expect(landFile(notice(KEY, { etag: 'etag-of-other-bytes' }), world.deps())).rejects.toBeInstanceOf(
      LandingObjectMissingError,
    );
  });

  it('treats a twin committed concurrently as a redelivery', async () => {
    // Prepare
    world.put(BUCKETS.landingBucket, KEY, CSV);
    const twin = new FakeWorld();
    twin.put(BUCKETS.landingBucket, KEY, CSV);
    await landFile(notice(KEY), twin.deps());
    world.beforeCommit = () => {
      for (const [fileId, file] of twin.files) world.files.set(fileId, file);
      world.events.push(...twin.events);
    };

    // Act
    const outcome = await landFile(notice(KEY), world.deps());

    // Assess
    expect(outcome).toEqual({
      outcome: 'redelivered',
      fileId: fileIdOf(CSV),
      detectedBy: 'concurrent-commit',
      counted: true,
    });
    expect(world.events).toHaveLength(1);
    expect(world.files.get(fileIdOf(CSV))?.redeliveries).toBe(1);
  });

  it('re-reads a landing key moved by a concurrent delivery and supersedes the winner', async () => {
    // Prepare
    world.put(BUCKETS.landingBucket, KEY, CSV);
    world.beforeCommit = () => {
      world.landingKeys.set(`KEY#landing/${KEY}`, {
        pk: `KEY#landing/${KEY}`,
        sk: 'LATEST',
        fileId: 'f_winner',
        sha256: 'x',
        seenAt: 'y',
      });
    };

    // Act
    const outcome = await landFile(notice(KEY), world.deps());

    // Assess
    expect(outcome).toMatchObject({ outcome: 'landed', supersedesFileId: 'f_winner' });
    expect(world.events).toHaveLength(1);
  });

  it('gives up when the landing key keeps moving, so the delivery is retried', async () => {
    // Prepare
    world.put(BUCKETS.landingBucket, KEY, CSV);
    const deps = world.deps();
    deps.ports.commitLanding = async () => 'landing-key-moved';

    // Act
    const act = landFile(notice(KEY), deps);

    // Assess
    await expect(act).rejects.toBeInstanceOf(LandingKeyContentionError);
  });

  it.each([
    ['a traversal key', 'inbound/acme-bank/transactions/2026-11-19/../../../raw/evil.csv', 'UNROUTABLE_KEY'],
    ['an unregistered partner', 'inbound/umbrella-corp/transactions/2026-11-19/tx.csv', 'UNKNOWN_PARTNER'],
    [
      'a dataset the partner does not deliver',
      'inbound/acme-bank/chargebacks/2026-11-19/tx.csv',
      'UNROUTABLE_KEY',
    ],
  ])('parks an object under %s in quarantine and commits a FileRejected', async (_case, key, code) => {
    // Prepare
    world.put(BUCKETS.landingBucket, key, CSV);
    const input = notice(key);

    // Act
    const outcome = await landFile(input, world.deps());

    // Assess
    const quarantine = { bucket: 'quarantine', key: `quarantine/unroutable/2026-11-20/${sha(CSV)}` };
    expect(outcome).toMatchObject({ outcome: 'rejected', code, alreadyRecorded: false, quarantine });
    expect(world.object(quarantine)).toEqual(new TextEncoder().encode(CSV));
    expect(world.files.size).toBe(0);
    expect([...world.objects.keys()].filter((stored) => stored.startsWith('raw/'))).toEqual([]);
    const event = FileRejectedV1.schema.parse(world.events[0]);
    expect(event).toMatchObject({
      causationId: input.eventId,
      data: {
        fileId: null,
        partner: null,
        code,
        source: { bucket: 'landing', key },
        quarantine: {
          bucket: 'quarantine',
          prefix: 'quarantine/unroutable/2026-11-20/',
          parts: [quarantine.key],
        },
        counts: { rowsIn: 0, valid: 0, quarantined: 0 },
      },
    });
    expect(event.data.reason.length).toBeGreaterThan(20);
  });

  it('commits one FileRejected when the same unroutable delivery is retried', async () => {
    // Prepare
    const key = 'inbound/acme-bank/transactions/not-a-date/tx.csv';
    world.put(BUCKETS.landingBucket, key, CSV);
    const input = notice(key);
    await landFile(input, world.deps());

    // Act
    const outcome = await landFile(
      { ...input, eventId: '00000000-0000-4000-9000-999999999999' },
      world.deps(),
    );

    // Assess
    expect(outcome).toMatchObject({ outcome: 'rejected', alreadyRecorded: true });
    expect(world.events).toHaveLength(1);
  });

  it('parks an unroutable object holding card numbers under restricted/', async () => {
    // Prepare
    const key = 'inbound/umbrella-corp/transactions/2026-11-19/tx.csv';
    world.put(BUCKETS.landingBucket, key, `card\n${PAN}\n`);

    // Act
    const outcome = await landFile(notice(key), world.deps());

    // Assess
    expect(outcome).toMatchObject({
      quarantine: { key: expect.stringMatching(/^restricted\/unroutable\/2026-11-20\/[0-9a-f]{64}$/) },
    });
    expect(JSON.stringify(world.events)).not.toContain(PAN);
    expect(world.deletes).toEqual([{ bucket: BUCKETS.landingBucket, key }]);
  });

  it('records a replayed unroutable delivery once after its object is gone', async () => {
    // Prepare
    const key = 'inbound/umbrella-corp/transactions/2026-11-19/tx.csv';
    world.put(BUCKETS.landingBucket, key, `card\n${PAN}\n`);
    const input = notice(key);
    await landFile(input, world.deps());

    // Act
    const replayed = await landFile(
      { ...input, eventId: '00000000-0000-4000-9000-999999999999' },
      world.deps(),
    );

    // Assess
    expect(replayed).toMatchObject({ outcome: 'rejected', code: 'UNKNOWN_PARTNER', alreadyRecorded: true });
    expect(world.events).toHaveLength(1);
  });

  it.each([
    ['in the file name', `inbound/acme-bank/transactions/2026-11-19/${PAN}.csv`],
    ['glued to letters in the file name', `inbound/acme-bank/transactions/2026-11-19/card_${PAN}x.csv`],
    ['in an unroutable key', `inbound/${PAN}/anything.bin`],
  ])('takes an object with a card number %s out of landing and announces it masked', async (_case, key) => {
    // Prepare
    world.put(BUCKETS.landingBucket, key, CSV);

    // Act
    const outcome = await landFile(notice(key), world.deps());

    // Assess
    expect(outcome).toMatchObject({
      outcome: 'rejected',
      code: 'CARD_NUMBER_IN_OBJECT_KEY',
      quarantine: { key: `restricted/unroutable/2026-11-20/${sha(CSV)}` },
    });
    expect(
      world.object({ bucket: BUCKETS.quarantineBucket, key: `restricted/unroutable/2026-11-20/${sha(CSV)}` }),
    ).toBeDefined();
    expect(world.deletes).toEqual([{ bucket: BUCKETS.landingBucket, key }]);
    expect(world.object({ bucket: BUCKETS.landingBucket, key })).toBeUndefined();
    const event = FileRejectedV1.schema.parse(world.events[0]);
    expect(event.data.source.key).toMatch(/\*{12}1111.*#hmac=[0-9a-f]{32}$/);
    expect(event.data.reason).toContain('************1111');
    expect(
      JSON.stringify({
        outcome,
        events: world.events,
        files: [...world.files.values()],
        uploads: [...world.uploads],
      }),
    ).not.toContain(PAN);
    expect([...world.landingKeys.keys()].join()).not.toContain(PAN);
  });

  it('records a replayed card-number key once, even after its object was deleted', async () => {
    // Prepare
    const key = `inbound/acme-bank/transactions/2026-11-19/${PAN}.csv`;
    world.put(BUCKETS.landingBucket, key, CSV);
    const input = notice(key);
    await landFile(input, world.deps());

    // Act
    const replayed = await landFile(
      { ...input, eventId: '00000000-0000-4000-9000-999999999999' },
      world.deps(),
    );

    // Assess
    expect(replayed).toMatchObject({
      outcome: 'rejected',
      code: 'CARD_NUMBER_IN_OBJECT_KEY',
      alreadyRecorded: true,
    });
    expect(world.events).toHaveLength(1);
    expect(world.deletes).toHaveLength(1);
  });

  it('rejects a file over the size cap without reading or copying it', async () => {
    // Prepare
    world.put(BUCKETS.landingBucket, KEY, CSV);

    // Act
    const outcome = await landFile(notice(KEY), world.deps({ maxObjectBytes: CSV.length - 1 }));

    // Assess
    expect(outcome).toMatchObject({ outcome: 'rejected', code: 'OBJECT_TOO_LARGE', quarantine: null });
    expect(world.reads).toEqual([]);
    expect(world.copies).toEqual([]);
    expect(FileRejectedV1.schema.parse(world.events[0]).data).toMatchObject({
      fileId: null,
      partner: 'acme-bank',
      dataset: 'transactions',
      businessDate: '2026-11-19',
      schemaV: 1,
    });
  });

  it('lands an empty file, leaving its rejection to schema-validate', async () => {
    // Prepare
    world.put(BUCKETS.landingBucket, KEY, '');

    // Act
    const outcome = await landFile(notice(KEY), world.deps());

    // Assess
    expect(outcome).toMatchObject({ outcome: 'landed' });
    expect(world.events[0]).toMatchObject({ data: { sizeBytes: 0, lineCount: 0 } });
  });

  it('fails, for a retry, when the notified object is gone', async () => {
    await expect(landFile(notice(KEY), world.deps())).rejects.toBeInstanceOf(LandingObjectMissingError);
  });

  it('refuses a notification from another bucket', async () => {
    await expect(landFile(notice(KEY, { bucket: 'elsewhere' }), world.deps())).rejects.toBeInstanceOf(
      UnexpectedBucketError,
    );
  });
});
