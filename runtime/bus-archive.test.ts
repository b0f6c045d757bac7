import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from './bus-archive.ts';
import type { BusEvent } from './bus-events.ts';

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
