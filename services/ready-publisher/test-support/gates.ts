import type { DatasetGates } from '../../../config/ready-gates.ts';
import { evaluateGates } from '../evaluate-gates.ts';
import type { GateResult, ReadyFacts } from '../gate-facts.ts';
import { AFTER_CUTOFFS, DATE, frozen } from './facts.ts';

/** Evaluate transactions gates on frozen facts (the domain must not mutate them). */
export const evaluate = (facts: ReadyFacts, now = AFTER_CUTOFFS, businessDate = DATE) =>
  evaluateGates(frozen({ dataset: 'transactions', businessDate, now, facts }));

export const failed = (gates: readonly GateResult[]) => gates.filter((gate) => !gate.passed);
export const gate = (gates: readonly GateResult[], name: string) => gates.find((g) => g.name === name);

/** Gates of a dataset with one partner, for focused cases. */
export const acmeOnly = (change: Partial<DatasetGates> = {}): DatasetGates[] => [
  {
    dataset: 'transactions',
    expectedFiles: [
      { partner: 'acme-bank', on: 'every-day', cutoff: { daysAfter: 1, localTime: '06:00' }, late: 'block' },
    ],
    maxQuarantineRateBps: 200,
    maxOpenConflicts: 0,
    minMatchingRateBps: 9500,
    ...change,
  },
];
