import { describe, expect, it } from 'vitest';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import { withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { createRandom, type Random, shuffled } from '../../../test/sample-data/prng.ts';
import { writeResults } from '../match-run.ts';
import {
  DEFAULT_MATCH_LIMITS,
  type MatchObjects,
  type SettlementMatchConfig,
  type SettlementMatchPorts,
} from '../ports.ts';
import type { ResultRecord } from '../result-records.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';
import { oracleMatch } from '../test-support/oracle.ts';
import { randomRows, rulesForSeed, withLineage } from '../test-support/random-window.ts';
import { silverWindow } from '../test-support/silver-window.ts';
import { matchWindowInSql } from './match-window.ts';

const AS_OF = '2026-11-20';
/**
 * Seeds per run: 40 in the suite (every outcome, reason and shape is reached by then, see the last test); a wider
 * sweep with FINLEDGER_PROPERTY_SEEDS=400 npx vitest run services/settlement-match/sql.
 */
const RUNS = Math.max(4, Number(process.env.FINLEDGER_PROPERTY_SEEDS ?? 40));

interface Window {
  readonly rules: MatchingRules;
  readonly transactions: readonly MatchableTransaction[];
  readonly settlements: readonly MatchableSettlement[];
}

/** The text of every result part, as a run writes it. */
async function partTexts(
  records: AsyncIterable<ResultRecord> | Iterable<ResultRecord>,
  config: SettlementMatchConfig,
  objects: MatchObjects & { written?: Map<string, Uint8Array> },
  written: Map<string, Uint8Array>,
): Promise<string[]> {
  const ports: SettlementMatchPorts = {
    dedupRuns: async () => [],
    filesAwaitingDedup: async () => [],
    objects,
  };
  const { parts } = await writeResults(records, 'silver/matches/test/', ports, config);
  return parts.map((key) => new TextDecoder().decode(written.get(key)));
}

/** The reference implementation's outcome, written through the same part writer. */
async function expectedOutcome(window: Window, config: SettlementMatchConfig) {
  const oracle = oracleMatch({ partner: window.rules.partner, asOf: AS_OF, ...window });
  const written = new Map<string, Uint8Array>();
  const objects: MatchObjects = {
    getObject: async () => new Uint8Array(),
    putObject: async (ref, bytes) => {
      written.set(ref.key, bytes);
    },
  };
  return { ...oracle, parts: await partTexts(oracle.records, config, objects, written) };
}

/** The SQL match's outcome over the rows written as silver parts (cut at random when `random` is given). */
async function sqlOutcome(window: Window, config: SettlementMatchConfig, random?: Random) {
  const silver = silverWindow(window.transactions, window.settlements, random);
  return withSetEngine(config.engine, async (engine) => {
    const match = await matchWindowInSql(engine, {
      partner: window.rules.partner,
      asOf: AS_OF,
      rules: window.rules,
      runs: silver.runs,
      objects: silver.objects,
    });
    const parts = await partTexts(match.records(), config, silver.objects, silver.written);
    return {
      counts: match.counts,
      sums: match.sums,
      notSettlingTransactions: match.notSettlingTransactions,
      parts,
    };
  });
}

/** Outcome kinds seen over all seeds, so the last test can check the generator reached every one. */
const seen = new Set<string>();

function noteCases(records: readonly ResultRecord[]): void {
  for (const record of records) {
    seen.add(`${record.outcome}${'cause' in record ? `:${record.cause}` : ''}`);
    if ('reason' in record) seen.add(`reason:${record.reason}`);
    if ('shape' in record) seen.add(`shape:${record.shape}`);
    if (record.outcome === 'partially-settled' && record.aged) seen.add('aged partial');
    if (record.outcome === 'unmatched' && record.leavesWindow) seen.add('leaves window');
  }
  const text = JSON.stringify(records);
  if (/[\u{10000}-\u{10FFFF}]/u.test(text) && /[\ue000-\uffff]/u.test(text)) seen.add('utf-16 order texts');
}

describe('matchWindowInSql over random windows (seeded), against matchSettlements', () => {
  it.each(Array.from({ length: RUNS }, (_, seed) => seed))(
    'gives the same records, counts and sums, seed %i',
    async (seed) => {
      // Prepare
      const random = createRandom(seed + 7_001);
      const rules = rulesForSeed(seed, random);
      const rows = randomRows(random, rules, AS_OF);
      const window: Window = {
        rules,
        transactions: withLineage(rows.transactions, 'transactions', random),
        settlements: withLineage(rows.settlements, 'settlements', random),
      };
      const config: SettlementMatchConfig = {
        ...DEFAULT_MATCH_LIMITS,
        silverBucket: 'silver',
        resultPartEntries: random.int(1, 9),
        resultPartCharacters: random.int(300, 6_000),
      };
      const expected = await expectedOutcome(window, config);

      // Act
      const actual = await sqlOutcome(window, config);
      const reordered = await sqlOutcome(
        {
          rules,
          transactions: shuffled(random, window.transactions),
          settlements: shuffled(random, window.settlements),
        },
        config,
        random,
      );

      // Assess: the same part texts (records, JSON, order, cut points), counts and sums (key order included)
      expect(actual.parts).toEqual(expected.parts);
      expect(JSON.stringify(actual.counts)).toBe(JSON.stringify(expected.counts));
      expect(JSON.stringify(actual.sums)).toBe(JSON.stringify(expected.sums));
      expect(actual.notSettlingTransactions).toBe(expected.notSettlingTransactions);
      // Assess: the same bytes whatever the row order and the cut of files into parts
      expect(reordered).toEqual(actual);
      noteCases(expected.records);
    },
  );

  it.each(Array.from({ length: Math.ceil(RUNS / 4) }, (_, seed) => seed))(
    'agrees with matchSettlements however the rows are split into files, seed %i',
    async (seed) => {
      // Prepare: the same rows sent in other files (other lineage, so other tie-breaks between equal ids)
      const random = createRandom(seed + 9_001);
      const rules = rulesForSeed(seed, random);
      const rows = randomRows(random, rules, AS_OF);
      const config: SettlementMatchConfig = {
        ...DEFAULT_MATCH_LIMITS,
        silverBucket: 'silver',
        resultPartEntries: 4,
        resultPartCharacters: 100_000,
      };
      const splits = [0, 1].map(() => ({
        rules,
        transactions: withLineage(rows.transactions, 'transactions', random),
        settlements: withLineage(rows.settlements, 'settlements', random),
      }));

      // Act
      const outcomes = [];
      for (const split of splits) outcomes.push(await sqlOutcome(split, config, random));

      // Assess
      for (const [index, split] of splits.entries()) {
        const expected = await expectedOutcome(split, config);
        expect(outcomes[index]?.parts).toEqual(expected.parts);
        expect(outcomes[index]?.counts).toEqual(expected.counts);
        noteCases(expected.records);
      }
    },
  );

  it('reached every outcome, reason and shape over the seeds', () => {
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'matched',
        'partially-settled',
        'unmatched',
        'orphan',
        'mismatch:AMOUNT',
        'mismatch:FEE',
        'mismatch:CURRENCY',
        'reason:NO_SETTLEMENT',
        'reason:AMBIGUOUS_REFERENCE',
        'reason:NO_TRANSACTION',
        'shape:1:1',
        'shape:1:N',
        'shape:N:1',
        'aged partial',
        'leaves window',
        'utf-16 order texts',
      ]),
    );
  });
});
