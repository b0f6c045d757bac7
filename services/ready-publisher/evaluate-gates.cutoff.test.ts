import { describe, expect, it } from 'vitest';
import { evaluateGates } from './evaluate-gates.ts';
import { factsWith, readyFacts, without } from './test-support/facts.ts';
import { acmeOnly, evaluate, failed, gate } from './test-support/gates.ts';

describe('evaluateGates: files and cut-offs', () => {
  it('re-evaluates to ready when the missing file lands before its cut-off and is reconciled', () => {
    // Prepare
    const beforeCutoff = new Date('2026-11-21T04:30:00Z');
    const waiting = factsWith({
      files: without(readyFacts().files, 'acme-bank'),
      quarantine: without(readyFacts().quarantine, 'acme-bank'),
      conflicts: without(readyFacts().conflicts, 'acme-bank'),
      reconciliations: without(readyFacts().reconciliations, 'acme-bank'),
      matches: without(readyFacts().matches, 'acme-bank'),
    });
    const landed = factsWith(
      {
        files: [
          ...waiting.files,
          {
            partner: 'acme-bank',
            fileId: 'f_acme-bank',
            landedAt: '2026-11-21T04:45:00Z',
            stage: 'VALIDATED',
          },
        ],
      },
      waiting,
    );

    // Act
    const first = evaluate(waiting, beforeCutoff);
    const second = evaluate(landed, new Date('2026-11-21T04:50:00Z'));
    const third = evaluate(
      factsWith({ files: landed.files }, readyFacts()),
      new Date('2026-11-21T05:10:00Z'),
    );

    // Assess
    expect(first.ready).toBe(false);
    expect(gate(first.gates, 'file-on-time:acme-bank')?.detail).toBe(
      'No file from acme-bank yet; due by 2026-11-21 06:00 Europe/Berlin (2026-11-21T05:00:00.000Z).',
    );
    expect(failed(second.gates).map((g) => g.name)).toEqual([
      'quarantine-rate:acme-bank',
      'open-conflicts:acme-bank',
      'reconciliation:acme-bank',
      'matching-rate:acme-bank',
    ]);
    expect(failed(third.gates)).toEqual([]);
    expect(third.ready).toBe(true);
  });

  it.each<[string, string, string, boolean, 'block' | 'accept']>([
    ['on time in winter (CET, cut-off 05:00Z)', '2026-11-20', '2026-11-21T04:59:00Z', true, 'block'],
    ['one minute late in winter', '2026-11-20', '2026-11-21T05:01:00Z', false, 'block'],
    ['late but accepted by the partner policy', '2026-11-20', '2026-11-21T05:01:00Z', true, 'accept'],
    [
      'late on the night summer time starts (cut-off 04:00Z, not 05:00Z)',
      '2026-03-28',
      '2026-03-29T04:30:00Z',
      false,
      'block',
    ],
    [
      'on time on the night summer time ends (cut-off 05:00Z, not 04:00Z)',
      '2026-10-24',
      '2026-10-25T04:30:00Z',
      true,
      'block',
    ],
  ])('compares landing and cut-off as instants: %s', (_name, businessDate, landedAt, passed, late) => {
    // Prepare
    const facts = factsWith(
      { files: [{ partner: 'acme-bank', fileId: 'f_acme-bank', landedAt, stage: 'VALIDATED' }] },
      readyFacts(['acme-bank']),
    );

    // Act
    const evaluation = evaluateGates(
      { dataset: 'transactions', businessDate, now: new Date('2026-12-01T00:00:00Z'), facts },
      acmeOnly({
        expectedFiles: [
          { partner: 'acme-bank', on: 'every-day', cutoff: { daysAfter: 1, localTime: '06:00' }, late },
        ],
      }),
    );

    // Assess
    expect(gate(evaluation.gates, 'file-on-time:acme-bank')).toMatchObject({
      passed,
      observed: new Date(landedAt).toISOString(),
    });
  });

  it.each([
    ['globex-pay', '2026-03-07', '2026-03-08T08:30:00Z', false, '2026-03-08T08:00:00.000Z'],
    ['globex-pay', '2026-10-31', '2026-11-01T08:30:00Z', true, '2026-11-01T09:00:00.000Z'],
    ['initech-acq', '2026-11-20', '2026-11-21T00:00:00Z', true, '2026-11-21T00:00:00.000Z'],
    ['initech-acq', '2026-11-20', '2026-11-21T00:00:01Z', false, '2026-11-21T00:00:00.000Z'],
  ])(
    'uses %s’s own zone for the cut-off of %s (landed %s)',
    (partner, businessDate, landedAt, passed, due) => {
      // Prepare
      const facts = factsWith(
        { files: [{ partner, fileId: `f_${partner}`, landedAt, stage: 'VALIDATED' }] },
        readyFacts([partner]),
      );

      // Act
      const evaluation = evaluate(facts, new Date('2026-12-01T00:00:00Z'), businessDate);

      // Assess
      expect(gate(evaluation.gates, `file-on-time:${partner}`)).toMatchObject({ passed, threshold: due });
    },
  );
});
