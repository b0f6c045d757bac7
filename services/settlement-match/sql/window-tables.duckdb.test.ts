import { describe, expect, it } from 'vitest';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { MatchInputError, SettlementMatchError } from '../errors.ts';
import type { DedupRunRef } from '../ports.ts';
import { AS_OF, PARTNER, rules, st, tx } from '../test-support/rows.ts';
import { type SilverWindow, silverWindow } from '../test-support/silver-window.ts';
import { matchWindowInSql } from './match-window.ts';

/** Match a staged window under the strict test rules (window 7 days), or with `settlingTypes` narrowed. */
function matchIn(
  window: SilverWindow,
  runs: readonly DedupRunRef[] = window.runs,
  settlingTypes = rules().settlingTypes,
) {
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, (engine) =>
    matchWindowInSql(engine, {
      partner: PARTNER,
      asOf: AS_OF,
      rules: rules({ settlingTypes }),
      runs,
      objects: window.objects,
    }),
  );
}

describe('matchWindowInSql preconditions (SQL checks of the staged window)', () => {
  it('refuses a part that holds a row of another file, naming the part and the file', async () => {
    // Prepare: the transactions file lists the settlements file's part as its own
    const window = silverWindow([tx('t1', 100n)], [st('s1', 't1', 100n, 0n)]);
    const runOf = (dataset: DedupRunRef['dataset']) =>
      window.runs.find((run) => run.dataset === dataset) as DedupRunRef;
    const [transactions, settlements] = [runOf('transactions'), runOf('settlements')];
    const misread = { ...transactions, unique: { ...transactions.unique, parts: settlements.unique.parts } };

    // Act
    const attempt = matchIn(window, [misread]);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(MatchInputError);
    await expect(attempt).rejects.toThrow(
      `part ${settlements.unique.parts[0]} holds a row of ${settlements.fileId}`,
    );
  });

  it('refuses a row given twice', async () => {
    // Prepare
    const row = tx('t1', 100n);
    const window = silverWindow([row, { ...row, transaction_id: 't2' }], []);

    // Act
    const attempt = matchIn(window);

    // Assess
    await expect(attempt).rejects.toThrow(`row ${row._file_id}#${row._row_number} is given twice`);
  });

  it('refuses rows outside the window', async () => {
    // Prepare: the test rules read 2026-11-13..2026-11-20
    const old = tx('t1', 100n, { business_date: '2026-11-12' });
    const window = silverWindow([old], []);

    // Act
    const attempt = matchIn(window);

    // Assess
    await expect(attempt).rejects.toThrow(
      `row ${old._file_id}#${old._row_number} has business date 2026-11-12, outside 2026-11-13..2026-11-20`,
    );
  });

  it('refuses a file of a contract version it was not deployed with', async () => {
    // Prepare
    const window = silverWindow([tx('t1', 100n)], []);
    const runs = window.runs.map((run) => ({ ...run, schemaV: 9 }));

    // Act
    const attempt = matchIn(window, runs);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SettlementMatchError);
    await expect(attempt).rejects.toThrow(
      /No dataset contract transactions v9 is deployed .* redrive the DLQ/,
    );
  });

  it('leaves transaction types the partner does not settle out of matching, counting them apart', async () => {
    // Prepare
    const window = silverWindow(
      [tx('t1', 100n), tx('t2', -5n, { type: 'refund' })],
      [st('s1', 't1', 100n, 0n)],
    );

    // Act
    const match = await matchIn(window, window.runs, ['payment']);

    // Assess
    expect(match.notSettlingTransactions).toBe(1);
    expect(match.counts).toMatchObject({ transactions: 1, matchedTransactions: 1, unmatchedTransactions: 0 });
    expect(match.sums.transactions.total).toEqual({ EUR: '100' });
  });
});
