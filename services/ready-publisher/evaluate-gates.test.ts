import { describe, expect, it } from 'vitest';
import { GateFactsError, GatesNotDeclaredError } from './errors.ts';
import { evaluateGates } from './evaluate-gates.ts';
import type { ReadyFacts } from './gate-facts.ts';
import {
  AFTER_CUTOFFS,
  at,
  DATE,
  factsWith,
  readyFacts,
  reconciliationOf,
  without,
} from './test-support/facts.ts';
import { acmeOnly, evaluate, failed, gate } from './test-support/gates.ts';

describe('evaluateGates', () => {
  it('is ready when every gate of every partner passes, each gate with its detail', () => {
    // Act
    const evaluation = evaluate(readyFacts());

    // Assess
    expect(failed(evaluation.gates)).toEqual([]);
    expect(evaluation.ready).toBe(true);
    expect(evaluation.gates.map((g) => g.name)).toEqual([
      'partners-in-scope',
      ...['acme-bank', 'globex-pay', 'initech-acq'].flatMap((partner) => [
        `file-on-time:${partner}`,
        `quarantine-rate:${partner}`,
        `open-conflicts:${partner}`,
        `reconciliation:${partner}`,
        `matching-rate:${partner}`,
      ]),
    ]);
    expect(gate(evaluation.gates, 'quarantine-rate:acme-bank')).toEqual({
      name: 'quarantine-rate:acme-bank',
      passed: true,
      detail: '10 of 1000 rows of acme-bank quarantined (1.00%), at most 2.00% allowed.',
      observed: 0.01,
      threshold: 0.02,
    });
  });

  it.each<[string, (facts: ReadyFacts) => ReadyFacts, string, string]>([
    [
      'no reconciliation',
      (f) => factsWith({ reconciliations: without(f.reconciliations, 'acme-bank') }),
      'reconciliation:acme-bank',
      'No reconciliation yet for acme-bank.',
    ],
    [
      'no validated file',
      (f) => factsWith({ quarantine: without(f.quarantine, 'acme-bank') }),
      'quarantine-rate:acme-bank',
      'No validated file yet for acme-bank: the quarantine rate is unknown.',
    ],
    [
      'no dedup result',
      (f) => factsWith({ conflicts: without(f.conflicts, 'acme-bank') }),
      'open-conflicts:acme-bank',
      'No dedup result yet for acme-bank: open conflicts are unknown.',
    ],
    [
      'no settlement match',
      (f) => factsWith({ matches: without(f.matches, 'acme-bank') }),
      'matching-rate:acme-bank',
      'No settlement match yet for acme-bank.',
    ],
    [
      'no file past the cut-off',
      (f) =>
        factsWith({
          files: without(f.files, 'acme-bank'),
          reconciliations: without(f.reconciliations, 'acme-bank'),
        }),
      'file-on-time:acme-bank',
      'No file from acme-bank: it was due by 2026-11-21 06:00 Europe/Berlin (2026-11-21T05:00:00.000Z), 7.0 h ago. Ask the partner for the delivery.',
    ],
    [
      'only a rejected file',
      (f) =>
        factsWith({
          files: f.files.map((file) =>
            file.partner === 'acme-bank' ? { ...file, stage: 'REJECTED' as const } : file,
          ),
        }),
      'file-on-time:acme-bank',
      'Only rejected files landed for acme-bank (f_acme-bank); a corrected file is due by 2026-11-21 06:00 Europe/Berlin (2026-11-21T05:00:00.000Z).',
    ],
  ])('fails a gate, never passes it, when there is %s', (_name, change, name, detail) => {
    // Act
    const evaluation = evaluate(change(readyFacts()));

    // Assess
    expect(evaluation.ready).toBe(false);
    expect(failed(evaluation.gates)).toContainEqual(
      expect.objectContaining({ name, detail, observed: null }),
    );
  });

  it.each<[string, (facts: ReadyFacts) => ReadyFacts, string, boolean, unknown]>([
    [
      'quarantine exactly at 2 %',
      (f) =>
        factsWith({
          quarantine: [
            ...without(f.quarantine, 'acme-bank'),
            { partner: 'acme-bank', rowsIn: 1000, quarantined: 20 },
          ],
        }),
      'quarantine-rate:acme-bank',
      true,
      0.02,
    ],
    [
      'quarantine one row over 2 %',
      (f) =>
        factsWith({
          quarantine: [
            ...without(f.quarantine, 'acme-bank'),
            { partner: 'acme-bank', rowsIn: 1000, quarantined: 21 },
          ],
        }),
      'quarantine-rate:acme-bank',
      false,
      0.021,
    ],
    [
      'no rows read',
      (f) =>
        factsWith({
          quarantine: [
            ...without(f.quarantine, 'acme-bank'),
            { partner: 'acme-bank', rowsIn: 0, quarantined: 0 },
          ],
        }),
      'quarantine-rate:acme-bank',
      true,
      0,
    ],
    [
      'one open conflict',
      (f) =>
        factsWith({ conflicts: [...without(f.conflicts, 'acme-bank'), { partner: 'acme-bank', open: 1 }] }),
      'open-conflicts:acme-bank',
      false,
      1,
    ],
    [
      'matching exactly at 95 %',
      (f) =>
        factsWith({
          matches: [
            ...without(f.matches, 'acme-bank'),
            { partner: 'acme-bank', runId: 'm', matched: 9500, eligible: 10_000 },
          ],
        }),
      'matching-rate:acme-bank',
      true,
      0.95,
    ],
    [
      'matching one record under 95 %',
      (f) =>
        factsWith({
          matches: [
            ...without(f.matches, 'acme-bank'),
            { partner: 'acme-bank', runId: 'm', matched: 9499, eligible: 10_000 },
          ],
        }),
      'matching-rate:acme-bank',
      false,
      0.9499,
    ],
    [
      'nothing to match',
      (f) =>
        factsWith({
          matches: [
            ...without(f.matches, 'acme-bank'),
            { partner: 'acme-bank', runId: 'm', matched: 0, eligible: 0 },
          ],
        }),
      'matching-rate:acme-bank',
      true,
      1,
    ],
    [
      'a reconciliation with breaks',
      (f) =>
        factsWith({
          reconciliations: [
            ...without(f.reconciliations, 'acme-bank'),
            reconciliationOf('acme-bank', { balanced: false, breakCount: 2 }),
          ],
        }),
      'reconciliation:acme-bank',
      false,
      '2 break(s)',
    ],
    [
      'a reconciliation older than a landed file',
      (f) =>
        factsWith({
          files: [
            ...f.files,
            { partner: 'acme-bank', fileId: 'f_late', landedAt: '2026-11-21T01:00:00Z', stage: 'VALIDATED' },
          ],
        }),
      'reconciliation:acme-bank',
      false,
      '1 of 2 files covered',
    ],
    [
      'a reconciliation of a file the registry does not list',
      (f) =>
        factsWith({
          reconciliations: [
            ...without(f.reconciliations, 'acme-bank'),
            reconciliationOf('acme-bank', { fileIds: ['f_acme-bank', 'f_ghost'] }),
          ],
        }),
      'reconciliation:acme-bank',
      false,
      '1 unknown file(s)',
    ],
  ])('judges %s', (_name, change, name, passed, observed) => {
    // Act
    const evaluation = evaluate(change(readyFacts()));

    // Assess
    expect(gate(evaluation.gates, name)).toMatchObject({ passed, observed });
    expect(evaluation.ready).toBe(passed);
  });

  it('expects weekday-only partners on weekdays only', () => {
    // Act: 2026-11-21 is a Saturday; initech-acq sends transactions on weekdays.
    const evaluation = evaluate(
      readyFacts(['acme-bank', 'globex-pay']),
      new Date('2026-11-22T12:00:00Z'),
      '2026-11-21',
    );

    // Assess
    expect(evaluation.gates.some((g) => g.name.endsWith(':initech-acq'))).toBe(false);
    expect(evaluation.ready).toBe(true);
  });

  it('gates a partner that delivered without being expected', () => {
    // Prepare: on a Saturday initech-acq is not expected, but a file of it landed.
    const facts = factsWith({ reconciliations: without(readyFacts().reconciliations, 'initech-acq') });

    // Act
    const evaluation = evaluate(facts, new Date('2026-11-22T12:00:00Z'), '2026-11-21');

    // Assess
    expect(failed(evaluation.gates).map((g) => g.name)).toEqual(['reconciliation:initech-acq']);
    expect(gate(evaluation.gates, 'file-on-time:initech-acq')).toBeUndefined();
  });

  it('is not ready when no partner is expected and nothing landed', () => {
    // Prepare
    const specs = acmeOnly({
      expectedFiles: [
        { partner: 'acme-bank', on: 'weekdays', cutoff: { daysAfter: 1, localTime: '06:00' }, late: 'block' },
      ],
    });
    const empty: ReadyFacts = { files: [], quarantine: [], conflicts: [], reconciliations: [], matches: [] };

    // Act
    const evaluation = evaluateGates(
      { dataset: 'transactions', businessDate: '2026-11-21', now: AFTER_CUTOFFS, facts: empty },
      specs,
    );

    // Assess
    expect(evaluation.ready).toBe(false);
    expect(evaluation.gates).toEqual([
      {
        name: 'partners-in-scope',
        passed: false,
        detail:
          'No partner is expected for transactions on 2026-11-21 and nothing landed: there is nothing to publish.',
        observed: 0,
        threshold: 1,
      },
    ]);
  });

  it('does not gate settlements on a matching rate', () => {
    // Act
    const evaluation = evaluateGates({
      dataset: 'settlements',
      businessDate: DATE,
      now: AFTER_CUTOFFS,
      facts: factsWith({ matches: [] }),
    });

    // Assess
    expect(evaluation.ready).toBe(true);
    expect(evaluation.gates.some((g) => g.name.startsWith('matching-rate'))).toBe(false);
  });

  it.each<[string, () => unknown, new (...args: never[]) => Error, RegExp]>([
    [
      'two reconciliations for one partner',
      () =>
        evaluate(
          factsWith({ reconciliations: [...readyFacts().reconciliations, reconciliationOf('acme-bank')] }),
        ),
      GateFactsError,
      /two reconciliation facts for acme-bank/,
    ],
    [
      'a file listed twice',
      () => evaluate(factsWith({ files: [...readyFacts().files, at(readyFacts().files, 0)] })),
      GateFactsError,
      /f_acme-bank is listed twice/,
    ],
    [
      'a landing time that is not an instant',
      () =>
        evaluate(
          factsWith({
            files: [{ partner: 'acme-bank', fileId: 'f_x', landedAt: 'yesterday', stage: 'LANDED' }],
          }),
        ),
      GateFactsError,
      /not an instant/,
    ],
    [
      'a dataset without declared gates',
      () =>
        evaluateGates(
          { dataset: 'settlements', businessDate: DATE, now: AFTER_CUTOFFS, facts: readyFacts() },
          acmeOnly(),
        ),
      GatesNotDeclaredError,
      /No readiness gates are declared for settlements/,
    ],
  ])('refuses %s', (_name, act, type, message) => {
    // Act / Assess
    expect(act).toThrow(type);
    expect(act).toThrow(message);
  });
});
