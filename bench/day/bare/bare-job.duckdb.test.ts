import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayManifest } from '../generate/day-truth.ts';
import { generateDay } from '../generate/generate-day.ts';
import { compareWithTruth } from '../report/compare-truth.ts';
import { type BareResult, runBareJob } from './bare-job.ts';

describe('runBareJob', () => {
  let folder: string;
  let manifest: DayManifest;
  let result: BareResult;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'finledger-bare-test-'));
    manifest = await generateDay({ records: 3_000, seed: 5, folder: join(folder, 'day') });
    result = await runBareJob(manifest, join(folder, 'job'), 1);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reports every injected defect and flags no clean record', () => {
    // Act
    const comparison = compareWithTruth(manifest.partners, null, result.counts);

    // Assess
    expect(comparison.differences).toEqual([]);
    expect(comparison.validSumsAgree.bare).toBe(true);
  });

  it('finds every trailer in place and writes Parquet', () => {
    // Assess
    expect(result.trailerBreaks).toEqual({ transactions: 0, settlements: 0 });
    expect(result.parquet.files).toBe(4);
  });
});
