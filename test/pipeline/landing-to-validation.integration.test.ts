import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEvent } from '../../contracts/events/catalog.ts';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { FileRejectedV1 } from '../../contracts/events/file-rejected.ts';
import { FileValidatedV1 } from '../../contracts/events/file-validated.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { badFiles, generateSampleSet, type SampleFile, TEST_PANS } from '../sample-data/index.ts';
import { expectNoClearCardNumbers } from './card-data-scan.ts';
import {
  archivedDetails,
  configureTestEnvironment,
  landAndSettle,
  listKeys,
  readObjectBytes,
  readObjectText,
  registry,
  startTestPipeline,
} from './support.ts';

interface QuarantineEntry {
  rowNumber: number;
  field: string;
  reason: string;
  [key: string]: unknown;
}

describe('landing to validation on the offline runtime', () => {
  let runtime: Runtime;
  const sample: SampleFile[] = generateSampleSet({
    seed: 7,
    dates: ['2026-11-19', '2026-11-20'],
    rowsPerFile: 40,
    cardNumbers: true,
  });
  const bad = badFiles({ date: '2026-11-21' });

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(runtime, [...sample, ...bad], 120_000);
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('lands identical bytes delivered twice as one file with one FileLanded and one silver output', async () => {
    // Prepare
    const redelivered = sample.filter((file) => file.expected.redeliveryOf !== null);
    expect(redelivered.length).toBeGreaterThan(0);

    // Act
    const landed = await archivedDetails(runtime, FileLandedV1);
    const validated = await archivedDetails(runtime, FileValidatedV1);

    // Assess
    for (const file of redelivered) {
      const landings = landed.filter((event) => event.data.landing.key === file.landingKey);
      expect(landings).toHaveLength(1);
      const fileId = landings[0]!.data.fileId;
      expect(validated.filter((event) => event.data.fileId === fileId)).toHaveLength(1);
      expect((await registry(runtime).get(fileId))?.redeliveries).toBe(1);
    }
  });

  it('conserves rows for every sample file and matches the injected ground truth', async () => {
    const landed = await archivedDetails(runtime, FileLandedV1);
    const validated = await archivedDetails(runtime, FileValidatedV1);
    const originals = sample.filter((file) => file.expected.redeliveryOf === null);

    for (const file of originals) {
      const fileId = landed.find((event) => event.data.landing.key === file.landingKey)?.data.fileId;
      const outcome = validated.find((event) => event.data.fileId === fileId);
      expect(outcome, `${file.landingKey} was not validated`).toBeDefined();
      const counts = outcome!.data.counts;
      expect(counts.rowsIn).toBe(counts.valid + counts.quarantined);
      expect(counts).toEqual({
        rowsIn: file.expected.rows,
        valid: file.expected.validRows,
        quarantined: file.expected.quarantinedRows,
      });
      expect(outcome!.data.controlTotals.computed).toEqual(file.expected.computed);
      expect(outcome!.data.validTotals).toEqual(file.expected.valid);
    }
  });

  it('quarantines every injected defect with its row number, field and reason, and nothing else', async () => {
    const landed = await archivedDetails(runtime, FileLandedV1);
    const validated = await archivedDetails(runtime, FileValidatedV1);
    const withDefects = sample.filter(
      (file) => file.expected.redeliveryOf === null && file.expected.defects.length > 0,
    );
    expect(withDefects.length).toBeGreaterThan(0);

    for (const file of withDefects) {
      const fileId = landed.find((event) => event.data.landing.key === file.landingKey)!.data.fileId;
      const ref = validated.find((event) => event.data.fileId === fileId)!.data.quarantine!;
      const entries: QuarantineEntry[] = [];
      for (const part of ref.parts) {
        const text = await readObjectText(runtime, ref.bucket, part);
        entries.push(
          ...text
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as QuarantineEntry),
        );
      }
      expect(entries.map((entry) => [entry.rowNumber, entry.field])).toEqual(
        file.expected.defects.map((defect) => [defect.line, defect.field]),
      );
      for (const entry of entries) expect(entry.reason.length).toBeGreaterThan(5);
    }
  });

  it.each(bad.map((file) => [file.name, file] as const))(
    'handles the bad file "%s" as expected',
    async (_name, file) => {
      const landed = await archivedDetails(runtime, FileLandedV1);
      const fileId = landed.find((event) => event.data.landing.key === file.landingKey)?.data.fileId;
      expect(fileId, `${file.landingKey} did not land`).toBeDefined();
      const record = await registry(runtime).get(fileId!);
      const expected = file.expected;

      if (expected.outcome === 'rejected') {
        const rejections = (await archivedDetails(runtime, FileRejectedV1)).filter(
          (event) => event.data.fileId === fileId,
        );
        expect(rejections).toHaveLength(1);
        expect(rejections[0]!.data.code).toBe(expected.code);
        expect(record?.stage).toBe('REJECTED');
      } else {
        const validated = (await archivedDetails(runtime, FileValidatedV1)).find(
          (event) => event.data.fileId === fileId,
        );
        expect(record?.stage).toBe('VALIDATED');
        expect(validated?.data.counts.valid).toBe(expected.validRows);
        if (expected.outcome === 'row-quarantined')
          expect(validated?.data.counts.quarantined).toBe(expected.quarantinedRows);
      }
    },
  );

  it('publishes only events that validate against their contracts', async () => {
    const events = (await runtime.bus.archive.read()).filter((event) =>
      event.source.startsWith('finledger.'),
    );
    expect(events.length).toBeGreaterThan(sample.length);

    for (const event of events) {
      const detail = event.detail as { type: string; version: number };
      const definition = findEvent(detail.type, detail.version);
      expect(definition, `${detail.type} v${detail.version} has no contract`).toBeDefined();
      expect(definition!.schema.safeParse(detail).success).toBe(true);
    }
  });

  it('never writes a card number in clear to silver, quarantine, events or the registry', async () => {
    const buckets = runtime.resources.buckets;
    const texts: string[] = [
      JSON.stringify(await runtime.bus.archive.read()),
      JSON.stringify(await registry(runtime).listAll()),
    ];
    for (const [bucket, prefix] of [
      [buckets.silver!.name, 'silver/'],
      [buckets.quarantine!.name, 'quarantine/'],
    ] as const) {
      for (const key of await listKeys(runtime, bucket, prefix)) {
        texts.push(Buffer.from(await readObjectBytes(runtime, bucket, key)).toString('latin1'));
      }
    }
    const carded = sample.filter((file) => file.expected.cardNumberRows.length > 0);
    expect(carded.length).toBeGreaterThan(0);

    for (const pan of TEST_PANS) {
      for (const text of texts) expect(text.includes(pan)).toBe(false);
    }
  });

  it('keeps files holding card numbers out of the immutable raw bucket', async () => {
    const landed = await archivedDetails(runtime, FileLandedV1);
    const carded = sample.filter(
      (file) => file.expected.cardNumberRows.length > 0 && file.expected.redeliveryOf === null,
    );

    for (const file of carded) {
      const event = landed.find((entry) => entry.data.landing.key === file.landingKey)!;
      expect(event.data.cardDataDetected).toBe(true);
      expect(event.data.raw.bucket).toBe(runtime.resources.buckets.quarantine!.name);
      expect(event.data.raw.key.startsWith('restricted/')).toBe(true);
    }
  });

  it('leaves no clear card number outside restricted/ in any store, by pan-scan', async () => {
    await expectNoClearCardNumbers(runtime);
  });
});
