import { describe, expect, it } from 'vitest';
import { generateLargeFile } from './large-file.ts';
import { majorOf, minorOf, readGenerated } from './sample-data.test-support.ts';

async function collect(chunks: AsyncIterable<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return { parts, bytes: Buffer.concat(parts) };
}

describe('generateLargeFile', () => {
  it('streams the requested rows in bounded chunks, with a correct trailer', async () => {
    // Act
    const { parts, bytes } = await collect(generateLargeFile(2000, { chunkBytes: 4096 }));
    const { rows, trailer } = readGenerated(bytes);

    // Assess
    expect(parts.length).toBeGreaterThan(10);
    expect(Math.max(...parts.map((part) => part.length))).toBeLessThan(4096 + 512);
    expect(rows).toHaveLength(2000);
    const sums = new Map<string, bigint>();
    for (const row of rows) {
      const minor = minorOf(row[2] ?? '', row[3] ?? '');
      expect(minor).not.toBeNull();
      sums.set(row[3] ?? '', (sums.get(row[3] ?? '') ?? 0n) + (minor ?? 0n));
    }
    expect(trailer).toEqual({
      rowCount: 2000,
      sums: Object.fromEntries([...sums].map(([currency, minor]) => [currency, majorOf(minor, currency)])),
    });
  });

  it('is deterministic and follows the partner rules', async () => {
    // Act
    const first = await collect(generateLargeFile(300, { partner: 'globex-pay', dataset: 'settlements' }));
    const second = await collect(generateLargeFile(300, { partner: 'globex-pay', dataset: 'settlements' }));

    // Assess
    expect(first.bytes.equals(second.bytes)).toBe(true);
    expect(readGenerated(first.bytes).trailer).toBeNull();
    expect(readGenerated(first.bytes).header[0]).toBe('settlement_id');
  });
});
