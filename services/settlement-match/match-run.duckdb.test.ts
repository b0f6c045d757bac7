import { describe, expect, it } from 'vitest';
import { findMatchingRules, type MatchingRules } from '../../config/matching-rules.ts';
import { SettlementsMatchedPayloadSchema } from '../../contracts/events/settlements-matched.ts';
import { createRandom } from '../../test/sample-data/prng.ts';
import { latestRunPerFile } from './match-inputs.ts';
import { matchesPrefix, matchPartnerDay, prepareMatchRun } from './match-run.ts';
import { DEFAULT_MATCH_LIMITS, type DedupRunRef } from './ports.ts';
import { oracleMatch } from './test-support/oracle.ts';
import { randomRows, withLineage } from './test-support/random-window.ts';
import { silverWindow } from './test-support/silver-window.ts';

const AS_OF = '2026-11-20';

describe('matchPartnerDay (SQL in DuckDB)', () => {
  it.each(['acme-bank', 'globex-pay', 'initech-acq'])(
    'matches the registry window of %s from its silver parts as the in-memory reference does',
    async (partner) => {
      // Prepare: a random window of the partner, its files listed by the registry per date
      const rules = findMatchingRules(partner) as MatchingRules;
      const random = createRandom(partner.length);
      const rows = randomRows(random, rules, AS_OF);
      const transactions = withLineage(rows.transactions, 'transactions', random);
      const settlements = withLineage(rows.settlements, 'settlements', random);
      const silver = silverWindow(transactions, settlements, random);
      const [trigger, ...listed] = silver.runs as [DedupRunRef, ...DedupRunRef[]];
      const ports = {
        dedupRuns: async (date: string) => listed.filter((run) => run.businessDate === date),
        filesAwaitingDedup: async () => [],
        objects: silver.objects,
      };
      const config = { ...DEFAULT_MATCH_LIMITS, silverBucket: 'silver', resultPartEntries: 7 };

      // Act
      const prepared = await prepareMatchRun({ partner, asOf: AS_OF, run: trigger }, ports, config);
      const run = await matchPartnerDay(prepared, ports, config);

      // Assess
      const expected = oracleMatch({ partner, asOf: AS_OF, rules, transactions, settlements });
      const lines = run.payload.results.parts.flatMap((key) =>
        new TextDecoder().decode(silver.written.get(key)).split('\n').filter(Boolean),
      );
      expect(lines).toEqual(expected.records.map((record) => JSON.stringify(record)));
      expect(run.payload.results.parts.length).toBe(Math.max(1, Math.ceil(expected.records.length / 7)));
      expect(run.payload.results.prefix).toBe(matchesPrefix(partner, AS_OF, run.matchRunId));
      expect(run.payload.counts).toEqual(expected.counts);
      expect(run.payload.sums).toEqual(expected.sums);
      expect(run.notSettlingTransactions).toBe(expected.notSettlingTransactions);
      expect(run.payload.inputs.map((input) => input.fileId)).toEqual(
        latestRunPerFile(silver.runs).map((input) => input.fileId),
      );
      expect(SettlementsMatchedPayloadSchema.parse(run.payload)).toEqual(run.payload);
    },
  );
});
