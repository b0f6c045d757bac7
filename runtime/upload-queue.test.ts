import { describe, expect, it } from 'vitest';
import { UPLOADS_KEPT_BEFORE_FIRST_TAKE, UploadQueue } from './upload-queue.ts';

const upload = (seq: number) => ({ seq, bucket: 'landing', key: `k${seq}`, timestamp: seq });

describe('UploadQueue', () => {
  it('hands out each upload once, oldest first', async () => {
    // Prepare
    const queue = new UploadQueue();
    queue.push(upload(1));
    queue.push(upload(2));

    // Act
    const taken = [await queue.take(0), await queue.take(0), await queue.take(0)];

    // Assess
    expect(taken.map((entry) => entry?.seq)).toEqual([1, 2, undefined]);
  });

  it('resolves a waiting take with the next upload', async () => {
    // Prepare
    const queue = new UploadQueue();
    const waiting = queue.take(60_000);

    // Act
    queue.push(upload(7));

    // Assess
    expect((await waiting)?.seq).toBe(7);
    expect(queue.size).toBe(0);
  });

  it('keeps only the newest uploads until the first take, then drops none', async () => {
    // Prepare
    const queue = new UploadQueue();
    const overflow = UPLOADS_KEPT_BEFORE_FIRST_TAKE + 5;
    for (let seq = 1; seq <= overflow; seq++) queue.push(upload(seq));

    // Act
    const first = await queue.take(0);
    for (let seq = overflow + 1; seq <= overflow + 2 * UPLOADS_KEPT_BEFORE_FIRST_TAKE; seq++)
      queue.push(upload(seq));

    // Assess
    expect(first?.seq).toBe(6);
    expect(queue.size).toBe(3 * UPLOADS_KEPT_BEFORE_FIRST_TAKE - 1);
  });

  it('rejects waiting and later takes once failed', async () => {
    // Prepare
    const queue = new UploadQueue();
    const waiting = queue.take(60_000);
    const gone = new Error('fauxqs is gone');

    // Act
    queue.fail(gone);

    // Assess
    await expect(waiting).rejects.toBe(gone);
    await expect(queue.take(0)).rejects.toBe(gone);
  });
});
