/**
 * Readiness gates per dataset: what must hold for a business date before its gold partition is published.
 * Data, not code: changing a threshold or a partner's cut-off is a reviewed change here.
 * Rates are in basis points (1 bp = 0.01 %) and compared in integers, never as floats.
 */
import { type DatasetName, findPartner, type PartnerSpec } from './partners.ts';

/** When a partner's file must have landed: a wall-clock time in the partner's zone, days after the business date. */
export interface CutOff {
  readonly daysAfter: number;
  /** 24-hour `HH:MM`, in the partner's IANA zone (`config/partners.ts`). */
  readonly localTime: string;
}

/** One partner file expected for every business date of a dataset (on the days given). */
export interface ExpectedFile {
  readonly partner: string;
  /** Business dates a file is expected for, by weekday of the plain date. */
  readonly on: 'every-day' | 'weekdays';
  readonly cutoff: CutOff;
  /** A file landing after the cut-off: `block` keeps the gate failed (the SLA is the gate); `accept` passes, saying how late. */
  readonly late: 'block' | 'accept';
}

export interface DatasetGates {
  readonly dataset: DatasetName;
  readonly expectedFiles: readonly ExpectedFile[];
  /** Quarantined rows over rows read, per partner, at most. */
  readonly maxQuarantineRateBps: number;
  /** Conflicts (same key, different content) still open per partner, at most. */
  readonly maxOpenConflicts: number;
  /** Matched over eligible records per partner, at least; null when the dataset is not matched. */
  readonly minMatchingRateBps: number | null;
}

export const readyGates: readonly DatasetGates[] = [
  {
    dataset: 'transactions',
    expectedFiles: [
      { partner: 'acme-bank', on: 'every-day', cutoff: { daysAfter: 1, localTime: '06:00' }, late: 'block' },
      { partner: 'globex-pay', on: 'every-day', cutoff: { daysAfter: 1, localTime: '04:00' }, late: 'block' },
      { partner: 'initech-acq', on: 'weekdays', cutoff: { daysAfter: 1, localTime: '09:00' }, late: 'block' },
    ],
    maxQuarantineRateBps: 200,
    maxOpenConflicts: 0,
    minMatchingRateBps: 9500,
  },
  {
    dataset: 'settlements',
    expectedFiles: [
      { partner: 'acme-bank', on: 'weekdays', cutoff: { daysAfter: 1, localTime: '08:00' }, late: 'block' },
      { partner: 'globex-pay', on: 'weekdays', cutoff: { daysAfter: 1, localTime: '06:00' }, late: 'block' },
      // Initech's settlement run often finishes after 10:00 JST; finance takes its file late rather than hold
      // the day (the gate still reports how late it was).
      {
        partner: 'initech-acq',
        on: 'weekdays',
        cutoff: { daysAfter: 1, localTime: '10:00' },
        late: 'accept',
      },
    ],
    maxQuarantineRateBps: 100,
    maxOpenConflicts: 0,
    minMatchingRateBps: null,
  },
];

/** The gates of a dataset, or undefined when none are declared (nothing is published without gates). */
export function gatesFor(
  dataset: string,
  specs: readonly DatasetGates[] = readyGates,
): DatasetGates | undefined {
  return specs.find((spec) => spec.dataset === dataset);
}

const LOCAL_TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const isBps = (value: number) => Number.isInteger(value) && value >= 0 && value <= 10_000;

/**
 * Problems with gate declarations against the partner registry; empty when consistent. The config test keeps it so.
 * @example readyGateProblems(readyGates) // []
 */
export function readyGateProblems(
  specs: readonly DatasetGates[],
  lookup: (id: string) => PartnerSpec | undefined = findPartner,
): string[] {
  const problems: string[] = [];
  const datasets = new Set<string>();
  for (const spec of specs) {
    const at = `${spec.dataset} gates`;
    if (datasets.has(spec.dataset)) problems.push(`${at}: declared twice`);
    datasets.add(spec.dataset);
    if (!isBps(spec.maxQuarantineRateBps)) problems.push(`${at}: maxQuarantineRateBps must be 0..10000`);
    if (spec.minMatchingRateBps !== null && !isBps(spec.minMatchingRateBps))
      problems.push(`${at}: minMatchingRateBps must be 0..10000 or null`);
    if (!Number.isInteger(spec.maxOpenConflicts) || spec.maxOpenConflicts < 0)
      problems.push(`${at}: maxOpenConflicts must be a whole number ≥ 0`);
    const partners = new Set<string>();
    for (const expected of spec.expectedFiles) {
      const partner = lookup(expected.partner);
      if (partners.has(expected.partner)) problems.push(`${at}: ${expected.partner} expected twice`);
      partners.add(expected.partner);
      if (!partner) problems.push(`${at}: unknown partner ${expected.partner}`);
      else if (!partner.datasets[spec.dataset])
        problems.push(`${at}: ${expected.partner} does not deliver ${spec.dataset}`);
      if (!LOCAL_TIME.test(expected.cutoff.localTime))
        problems.push(`${at}: ${expected.partner} cut-off ${expected.cutoff.localTime} is not HH:MM`);
      if (!Number.isInteger(expected.cutoff.daysAfter) || expected.cutoff.daysAfter < 0)
        problems.push(`${at}: ${expected.partner} cut-off daysAfter must be a whole number ≥ 0`);
    }
  }
  return problems;
}
