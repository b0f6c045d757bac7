import { describe, expect, it } from 'vitest';
import type { RunMemberRecord } from '../../lib/file-registry/run-record.ts';
import type { VerdictItem } from './ports.ts';
import { compareVerdict, scopesOf } from './rerun-verdicts.ts';

const scope = { dataset: 'settlements', businessDate: '2026-11-20' } as const;
const REQUESTED_AT = '2026-12-01T09:00:00.000Z';
const ready = (runId: string, committedAt: string, contentHash: string): VerdictItem => ({
  runId,
  verdict: 'READY',
  committedAt,
  contentHash,
  failedGates: [],
});
const blocked = (runId: string, committedAt: string, failedGates: string[]): VerdictItem => ({
  runId,
  verdict: 'BLOCKED',
  committedAt,
  contentHash: null,
  failedGates,
});

describe('compareVerdict', () => {
  it('finds the same content hash as the latest READY before the rerun, ignoring verdicts during it', () => {
    // Prepare
    const items = [
      ready('ready_old1', '2026-11-21T07:00:00Z', 'h0'),
      ready('ready_old2', '2026-11-21T09:00:00Z', 'h1'),
      blocked('ready_mid', '2026-12-01T09:00:05Z', ['reconciliation:acme-bank']),
      ready('ready_mix', '2026-12-01T09:00:07Z', 'h1'),
      ready('ready_new', '2026-12-01T09:00:09Z', 'h1'),
    ];

    // Act
    const verdict = compareVerdict(scope, 'ready_new', items, REQUESTED_AT);

    // Assess
    expect(verdict).toEqual({
      ...scope,
      current: { runId: 'ready_new', verdict: 'READY', contentHash: 'h1', failedGates: [] },
      previousReady: { runId: 'ready_old2', contentHash: 'h1', committedAt: '2026-11-21T09:00:00Z' },
      sameContent: true,
    });
  });

  it.each([
    [
      'a different hash',
      [ready('ready_old', '2026-11-21T09:00:00Z', 'h1'), ready('ready_new', '2026-12-02T00:00:00Z', 'h2')],
      'READY',
      false,
    ],
    ['no earlier READY', [ready('ready_new', '2026-12-02T00:00:00Z', 'h2')], 'READY', null],
    [
      'a blocked day',
      [
        ready('ready_old', '2026-11-21T09:00:00Z', 'h1'),
        blocked('ready_new', '2026-12-02T00:00:00Z', ['matching-rate:acme-bank']),
      ],
      'BLOCKED',
      null,
    ],
    [
      'no verdict on the current facts yet',
      [ready('ready_old', '2026-11-21T09:00:00Z', 'h1')],
      'PENDING',
      null,
    ],
  ] as const)('reports %s', (_name, items, expected, same) => {
    // Act
    const verdict = compareVerdict(scope, 'ready_new', items, REQUESTED_AT);

    // Assess
    expect(verdict.current.verdict).toBe(expected);
    expect(verdict.sameContent).toBe(same);
  });

  it('keeps the failed gates of a blocked day', () => {
    const verdict = compareVerdict(
      scope,
      'ready_new',
      [blocked('ready_new', REQUESTED_AT, ['a', 'b'])],
      REQUESTED_AT,
    );

    expect(verdict.current).toEqual({
      runId: 'ready_new',
      verdict: 'BLOCKED',
      contentHash: null,
      failedGates: ['a', 'b'],
    });
  });
});

describe('scopesOf', () => {
  it('lists each dataset and business date of the members once, in date order', () => {
    // Prepare
    const member = (dataset: string, businessDate: string) => ({ dataset, businessDate }) as RunMemberRecord;

    // Act
    const scopes = scopesOf([
      member('transactions', '2026-11-21'),
      member('settlements', '2026-11-20'),
      member('transactions', '2026-11-21'),
      member('transactions', '2026-11-20'),
    ]);

    // Assess
    expect(scopes).toEqual([
      { dataset: 'settlements', businessDate: '2026-11-20' },
      { dataset: 'transactions', businessDate: '2026-11-20' },
      { dataset: 'transactions', businessDate: '2026-11-21' },
    ]);
  });
});
