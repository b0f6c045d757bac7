import { describe, expect, it } from 'vitest';
import { parquetRowCount } from '../../lib/parquet/test-support/read-parts.ts';
import { validateFile } from './schema-validate.ts';
import { landedInput, memoryStore, testConfig } from './test-support/fake-ports.ts';
import { generatedTransactionsFile } from './test-support/generated-file.ts';

describe('validateFile on a large stream', () => {
  it('processes 400K rows in ten parts while holding at most one part of rows (plus one chunk) in memory', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const partRows = 40_000;
    let produced = 0;
    let written = 0;
    let maxChunkRows = 0;
    let maxInFlight = 0;
    const file = generatedTransactionsFile({
      rows: 400_000,
      onChunk: (rows) => {
        produced += rows;
        maxChunkRows = Math.max(maxChunkRows, rows);
        maxInFlight = Math.max(maxInFlight, produced - written);
      },
    });
    const store = memoryStore({
      keepBytes: false,
      onPut: (ref, bytes) => {
        if (ref.key.endsWith('.parquet')) written += parquetRowCount(bytes);
      },
    });
    store.putRaw(file);

    // Act
    const outcome = await validateFile(landedInput(file), store.ports, testConfig({ partRows }));

    // Assess
    expect(outcome.kind).toBe('validated');
    expect(outcome.payload.counts).toEqual({ rowsIn: 400_000, valid: 400_000, quarantined: 0 });
    expect(outcome.kind === 'validated' && outcome.payload.silver.parts).toHaveLength(10);
    expect(written).toBe(400_000);
    expect(maxInFlight).toBeLessThanOrEqual(partRows + maxChunkRows + 1);
    expect(maxInFlight).toBeGreaterThanOrEqual(partRows);
  });
});
