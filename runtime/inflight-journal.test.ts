import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInflightJournal, type InflightEntry } from './inflight-journal.ts';

const entry = (id: string): InflightEntry => ({
  queueUrl: 'http://sqs.us-east-1.localhost:1/000000000000/finledger-test-file-landing',
  receiptHandle: `handle-${id}`,
  messageId: `message-${id}`,
});

describe('createInflightJournal', () => {
  let dir: string;
  const file = () => join(dir, 'finledger-test-file-landing.json');
  const onDisk = async () => JSON.parse(await readFile(file(), 'utf8')) as InflightEntry[];

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'finledger-journal-')), 'inflight');
  });

  afterEach(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('lists a batch on disk before record resolves and removes the file once it is cleared', async () => {
    // Prepare
    const journal = createInflightJournal(dir, 'finledger-test-file-landing');

    // Act
    const batch = await journal.record([entry('a'), entry('b')]);
    const listed = await onDisk();
    await journal.clear(batch);

    // Assess
    expect(listed).toEqual([entry('a'), entry('b')]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the batches still in flight when another one is cleared', async () => {
    // Prepare
    const journal = createInflightJournal(dir, 'finledger-test-file-landing');

    // Act
    const [first, second] = await Promise.all([journal.record([entry('a')]), journal.record([entry('b')])]);
    await journal.clear(first);

    // Assess
    expect(await onDisk()).toEqual([entry('b')]);
    expect(await readdir(dir)).toEqual(['finledger-test-file-landing.json']);
    await journal.clear(second);
    expect(await readdir(dir)).toEqual([]);
  });

  it('ends with the last state when writes overlap', async () => {
    // Prepare
    const journal = createInflightJournal(dir, 'finledger-test-file-landing');
    const ids = Array.from({ length: 20 }, (_, index) => String(index));

    // Act
    const batches = await Promise.all(ids.map((id) => journal.record([entry(id)])));
    await Promise.all(batches.filter((_, index) => index % 2 === 0).map((batch) => journal.clear(batch)));

    // Assess
    expect(await onDisk()).toEqual(ids.filter((_, index) => index % 2 === 1).map(entry));
  });
});
