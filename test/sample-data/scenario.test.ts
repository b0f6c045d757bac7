import { describe, expect, it } from 'vitest';
import { findPartner } from '../../config/partners.ts';
import { gatesFor } from '../../config/ready-gates.ts';
import { cutoffInstant } from '../../services/ready-publisher/cutoff.ts';
import { generateScenario } from './scenario.ts';
import type { ScenarioDefectKind } from './scenario-truth.ts';

const options = { seed: 7, transactionsPerFile: 120 };

describe('generateScenario', () => {
  it('gives the same deliveries for the same seed', () => {
    const [first, second] = [generateScenario(options), generateScenario(options)];

    expect(
      second.deliveries.map((item) => [
        item.landingKey,
        item.at.toISOString(),
        Buffer.from(item.bytes).toString('base64'),
      ]),
    ).toEqual(
      first.deliveries.map((item) => [
        item.landingKey,
        item.at.toISOString(),
        Buffer.from(item.bytes).toString('base64'),
      ]),
    );
  });

  it('injects every defect kind the main job promises', () => {
    const { truth } = generateScenario(options);
    const kinds: ScenarioDefectKind[] = [
      'INVALID_ROW',
      'EXACT_DUPLICATE_WITHIN_FILE',
      'EXACT_DUPLICATE_CROSS_DAY',
      'CONFLICTING_DUPLICATE',
      'MISSING_SETTLEMENT',
      'PARTIAL_SETTLEMENT',
      'AMOUNT_MISMATCH',
      'LATE_FILE',
      'REDELIVERED_FILE',
      'REJECTED_FILE',
    ];

    for (const kind of kinds)
      expect(
        truth.injected.some((defect) => defect.kind === kind),
        kind,
      ).toBe(true);
  });

  it('delivers every file before its cut-off except the late one', () => {
    const { deliveries, files, truth } = generateScenario(options);
    const late = new Set(truth.lateFiles.map((file) => file.fileName));

    for (const file of files) {
      const delivery = deliveries.find((item) => item.landingKey === file.landingKey);
      const expected = gatesFor(file.dataset)?.expectedFiles.find((item) => item.partner === file.partner);
      const due = cutoffInstant(file.businessDate, expected!.cutoff, findPartner(file.partner)!.timezone);
      expect(delivery!.at > due, file.fileName).toBe(late.has(file.fileName));
    }
  });

  it('re-delivers the same bytes under the same key, after the first delivery', () => {
    const { deliveries, truth } = generateScenario(options);

    for (const key of truth.redelivered) {
      const [first, again] = deliveries.filter((item) => item.landingKey === key);
      expect(again?.bytes).toEqual(first?.bytes);
      expect(again!.wave).toBeGreaterThan(first!.wave);
    }
  });

  it('settles every valid payment once, except the injected settlement defects', () => {
    const { files, truth } = generateScenario(options);
    const open = new Set([...truth.unmatched, ...truth.partiallySettled].map((item) => item.transactionId));
    const text = (name: string) =>
      new TextDecoder('windows-1252').decode(files.find((file) => file.fileName === name)!.bytes);
    const settlementsFile = text('acme-bank-settlements-20261120.csv');

    for (const item of truth.unmatched.filter((entry) => entry.because === 'MISSING_SETTLEMENT'))
      expect(settlementsFile).not.toContain(item.transactionId);
    for (const item of truth.partiallySettled)
      expect(settlementsFile.split(item.transactionId)).toHaveLength(2);
    expect(open.size).toBe(truth.unmatched.length + truth.partiallySettled.length);
  });
});
