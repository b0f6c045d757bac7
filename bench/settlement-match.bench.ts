/**
 * Settlement matching scaling: `matchSettlements` (checks, canonical sort, every pass, open items, counts) over
 * one partner's window of N transactions and about N settlements held in memory, as settlement-match does
 * after `readWindowRows`. Mostly 1:1, with instalments (1:N), payout batches (N:1), open transactions,
 * orphans and amount, fee and currency mismatches; see `window-rows.ts`. Only the matching is timed; the
 * input's RSS and heap are printed beside the peak.
 * Run: npm exec -- tsx --expose-gc bench/settlement-match.bench.ts [rows]
 */
import { findMatchingRules, type MatchingRules } from '../config/matching-rules.ts';
import { matchSettlements } from '../services/settlement-match/matching.ts';
import { generateInput, measure, perSecond, report, rowsArgument } from './measure.ts';
import { windowRows } from './window-rows.ts';

const rows = rowsArgument(1_000_000);
const PARTNER = 'globex-pay';
const AS_OF = '2026-11-20';

const configured = findMatchingRules(PARTNER);
if (!configured) throw new Error(`no matching rules for ${PARTNER} in config/matching-rules.ts`);
/** The partner's rules (by reference, then payout batches N:1) with instalments (1:N) allowed too, so every shape runs. */
const rules: MatchingRules = {
  ...configured,
  passes: configured.passes.map((pass, index) =>
    index === 0 ? { ...pass, partialSettlements: true } : pass,
  ),
};

const input = generateInput(
  () =>
    windowRows({
      transactions: rows,
      partner: PARTNER,
      asOf: AS_OF,
      windowDays: rules.windowDays,
      seed: 20261120,
    }),
  (made) => ({
    text:
      `${made.transactions.length.toLocaleString('en')} transactions and ${made.settlements.length.toLocaleString('en')} ` +
      `settlements over ${rules.windowDays + 1} business dates`,
    rows: made.transactions.length + made.settlements.length,
  }),
);

const measured = measure(() => matchSettlements({ partner: PARTNER, asOf: AS_OF, rules, ...input }));
const { counts, matched } = measured.value;
const shapes = new Map<string, number>();
for (const group of matched) shapes.set(group.shape, (shapes.get(group.shape) ?? 0) + 1);
report(
  'settlement match (matchSettlements)',
  { rows, unit: 'transactions' },
  measured,
  `${perSecond(counts.transactions + counts.settlements, measured.seconds)} input rows/s (transactions + settlements); matched groups ${[...shapes].map(([shape, groups]) => `${shape} ${groups.toLocaleString('en')}`).join(', ')}; ` +
    `partially settled ${counts.partiallySettled}, unmatched ${counts.unmatchedTransactions}, ` +
    `orphans ${counts.orphanSettlements}, mismatches ${counts.amountMismatches}`,
);
