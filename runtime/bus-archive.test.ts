import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive, routedArchive } from './bus-archive.ts';
import type { BusEvent } from './bus-events.ts';
import { isCardDataNotification } from './local-bus.ts';

const event = (id: string): BusEvent => ({
  version: '0',
  id,
  'detail-type': 'FileLanded',
  source: 'finledger.file-landing',
  account: '000000000000',
  time: '2024-05-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { version: 1 },
});

describe('bus archive', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finledger-archive-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps concurrently appended events as JSON lines that a new archive instance reads back', async () => {
    // Prepare
    const path = join(dir, 'bus-archive', 'finledger-local-bus.jsonl');
    const writer = createArchive(path);

    // Act
    await Promise.all(['a', 'b', 'c'].map((id) => writer.append(event(id))));
    const read = await createArchive(path).read();

    // Assess
    expect(read.map((archived) => archived.id)).toEqual(['a', 'b', 'c']);
  });

  it('skips, then drops, a torn last line left by a crash mid-append', async () => {
    // Prepare
    const path = join(dir, 'torn.jsonl');
    await createArchive(path).append(event('whole'));
    await appendFile(path, '{"version":"0","id":"tor');

    // Act
    const reader = await createArchive(path).read();
    const writer = createArchive(path);
    await writer.append(event('next'));

    // Assess
    expect(reader.map((archived) => archived.id)).toEqual(['whole']);
    expect((await writer.read()).map((archived) => archived.id)).toEqual(['whole', 'next']);
  });
});

describe('routed archive', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finledger-routed-archive-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const notification = (id: string, key: string): BusEvent => ({
    ...event(id),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    detail: { bucket: { name: 'landing' }, object: { key } },
  });

  it('archives S3 notifications of card-number keys apart, under restricted/, and reads every event back', async () => {
    // Prepare
    const main = join(dir, 'bus-archive', 'bus.jsonl');
    const restricted = join(dir, 'restricted', 'bus-archive', 'bus.jsonl');
    const archive = routedArchive(createArchive(main), createArchive(restricted), isCardDataNotification);

    // Act
    await archive.append(event('e-1'));
    await archive.append(
      notification('e-2', 'inbound/acme-bank/transactions/2026-11-19/4111111111111111.csv'),
    );
    await archive.append(notification('e-3', 'inbound/acme-bank/transactions/2026-11-19/tx.csv'));

    // Assess
    expect((await archive.read()).map((archived) => archived.id)).toEqual(['e-1', 'e-3', 'e-2']);
    expect(await readFile(main, 'utf8')).not.toContain('4111111111111111');
    expect(await readFile(restricted, 'utf8')).toContain('e-2');
  });
});
