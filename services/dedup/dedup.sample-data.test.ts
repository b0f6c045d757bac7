import { describe, expect, it } from 'vitest';
import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import { type ControlTotals, FileValidatedPayloadSchema } from '../../contracts/events/file-validated.ts';
import {
  type DedupTotals,
  RecordsDeduplicatedPayloadSchema,
  sumControlTotals,
} from '../../contracts/events/records-deduplicated.ts';
import { generateSampleSet, type SampleFile } from '../../test/sample-data/index.ts';
import { validateFile } from '../schema-validate/schema-validate.ts';
import {
  landedInput,
  memoryStore,
  rawFile,
  testConfig as validateConfig,
} from '../schema-validate/test-support/fake-ports.ts';
import { dedupFile } from './dedup.ts';
import { memoryHistory, memoryObjects, testConfig, testPorts } from './test-support/fakes.ts';

/** The column a re-sent row changes to conflict with its first version: fingerprinted, not the amount. */
const CONFLICT_COLUMN: Readonly<Record<DatasetName, number>> = {
  transactions: 5, // merchant_id
  settlements: 1, // transaction_reference
};

/**
 * A partner's re-send of a delivered file under a later date: some rows again as they were (cross-file
 * duplicates, one of them twice), one row changed (a cross-file conflict), and one row both as it was and changed
 * (a conflict within the file). Built from a file without quoted fields, so splitting on commas is exact.
 */
function resendOf(file: SampleFile, businessDate: string): SampleFile {
  const text = new TextDecoder().decode(file.bytes);
  const [header = '', ...data] = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('TRAILER'));
  if (text.includes('"') || data.length < 8) throw new Error(`${file.landingKey} cannot be re-sent simply`);
  const changed = (line: string) => {
    const fields = line.split(',');
    fields[CONFLICT_COLUMN[file.dataset]] += 'x';
    return fields.join(',');
  };
  const lines = [...data.slice(0, 5), data[0], changed(data[5] ?? ''), data[6], changed(data[6] ?? '')];
  return {
    ...file,
    businessDate,
    landingKey: file.landingKey.replace(file.businessDate, businessDate),
    bytes: new TextEncoder().encode(`${[header, ...lines].join('\n')}\n`),
  };
}

/** Validate then deduplicate every file in order, as the pipeline does, on fakes shared by all files. */
async function validateAndDedup(files: readonly SampleFile[]) {
  const store = memoryStore();
  const objects = memoryObjects();
  const ports = testPorts(objects, memoryHistory());
  const results: { file: SampleFile; validTotals: ControlTotals; totals: DedupTotals }[] = [];
  for (const [index, file] of files.entries()) {
    const raw = rawFile(file.bytes, { key: `raw/${file.landingKey}`, chunkBytes: 4096 });
    store.putRaw(raw);
    const runId = `run_${String(index).padStart(32, '0')}`;
    const input = landedInput(raw, {
      partner: file.partner,
      dataset: file.dataset,
      businessDate: file.businessDate,
      runId,
    });
    const outcome = await validateFile(input, store.ports, validateConfig());
    if (outcome.kind !== 'validated') continue;
    const validated = FileValidatedPayloadSchema.parse(outcome.payload);
    for (const key of validated.silver.parts)
      objects.put(
        { bucket: validated.silver.bucket, key },
        store.object(validated.silver.bucket, key) ?? new Uint8Array(),
      );
    const deduplicated = RecordsDeduplicatedPayloadSchema.parse(
      await dedupFile(
        { ...input, runId, valid: validated.counts.valid, silver: validated.silver },
        ports,
        testConfig(),
      ),
    );
    results.push({ file, validTotals: validated.validTotals, totals: deduplicated.totals });
  }
  return results;
}

describe('dedup totals on the generated sample set', () => {
  it("adds unique + duplicates + conflicts up to FileValidated's validTotals for every file", async () => {
    // Prepare: every partner and dataset on two dates (row defects on the first), plus a re-send per dataset.
    const sample = generateSampleSet({
      seed: 29,
      dates: ['2026-11-19', '2026-11-20'],
      rowsPerFile: 40,
    }).filter((file) => file.expected.redeliveryOf === null);
    const resends = (['transactions', 'settlements'] as const).map((dataset) => {
      const source = sample.find(
        (file) =>
          file.partner === 'globex-pay' && file.dataset === dataset && file.businessDate === '2026-11-20',
      );
      if (!source) throw new Error(`no globex-pay ${dataset} file`);
      return resendOf(source, '2026-11-21');
    });

    // Act
    const results = await validateAndDedup([...sample, ...resends]);

    // Assess
    expect(results).toHaveLength(sample.length + resends.length);
    for (const { file, validTotals, totals } of results) {
      expect(sumControlTotals(totals.unique, totals.duplicates, totals.conflicts), file.landingKey).toEqual(
        validTotals,
      );
    }
    for (const { file, validTotals } of results.slice(0, sample.length))
      expect(validTotals, file.landingKey).toEqual(file.expected.valid);
    for (const { totals } of results.slice(sample.length)) {
      expect(totals.duplicates.rowCount).toBe(6);
      expect(totals.conflicts.rowCount).toBe(3);
      expect(Object.keys(totals.conflicts.sums).length).toBeGreaterThan(0);
    }
  });
});
