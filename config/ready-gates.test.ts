import { describe, expect, it } from 'vitest';
import { partners } from './partners.ts';
import {
  type DatasetGates,
  type ExpectedFile,
  gatesFor,
  readyGateProblems,
  readyGates,
} from './ready-gates.ts';

const acme: ExpectedFile = {
  partner: 'acme-bank',
  on: 'every-day',
  cutoff: { daysAfter: 1, localTime: '06:00' },
  late: 'block',
};
const base: DatasetGates = {
  dataset: 'transactions',
  expectedFiles: [acme],
  maxQuarantineRateBps: 200,
  maxOpenConflicts: 0,
  minMatchingRateBps: 9500,
};

describe('ready gates config', () => {
  it('declares consistent gates for every dataset partners deliver', () => {
    // Prepare
    const delivered = new Set(partners.flatMap((partner) => Object.keys(partner.datasets)));

    // Act
    const problems = readyGateProblems(readyGates);

    // Assess
    expect(problems).toEqual([]);
    for (const dataset of delivered) expect(gatesFor(dataset)?.dataset).toBe(dataset);
  });

  it.each<[string, Partial<DatasetGates>, string]>([
    ['an unknown partner', { expectedFiles: [{ ...acme, partner: 'nobody' }] }, 'unknown partner nobody'],
    [
      'a cut-off that is not HH:MM',
      { expectedFiles: [{ ...acme, cutoff: { daysAfter: 1, localTime: '6:00' } }] },
      'acme-bank cut-off 6:00 is not HH:MM',
    ],
    ['a rate above 100 %', { maxQuarantineRateBps: 10_001 }, 'maxQuarantineRateBps must be 0..10000'],
    ['a fractional rate', { minMatchingRateBps: 95.5 }, 'minMatchingRateBps must be 0..10000 or null'],
    ['a partner expected twice', { expectedFiles: [acme, acme] }, 'acme-bank expected twice'],
  ])('reports %s', (_name, change, problem) => {
    // Act
    const problems = readyGateProblems([{ ...base, ...change }]);

    // Assess
    expect(problems).toEqual([`transactions gates: ${problem}`]);
  });

  it('reports a partner that does not deliver the dataset', () => {
    // Prepare
    const lookup = () => ({ id: 'x', name: 'X', encoding: 'utf-8' as const, timezone: 'UTC', datasets: {} });

    // Act
    const problems = readyGateProblems([base], lookup);

    // Assess
    expect(problems).toEqual(['transactions gates: acme-bank does not deliver transactions']);
  });
});
