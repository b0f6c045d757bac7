import { SettlementMatchError } from './errors.ts';
import type { MatchCounts } from './match-result.ts';

/** Every transaction and every settlement is in exactly one outcome; anything else is a bug here. */
export function assertConservation(partner: string, asOf: string, counts: MatchCounts): void {
  const transactions =
    counts.matchedTransactions +
    counts.partiallySettled +
    counts.unmatchedTransactions +
    counts.mismatchedTransactions;
  const settlements =
    counts.matchedSettlements +
    counts.partiallySettledSettlements +
    counts.orphanSettlements +
    counts.mismatchedSettlements;
  if (transactions !== counts.transactions || settlements !== counts.settlements) {
    throw new SettlementMatchError(
      `Matching ${partner} as of ${asOf} lost or doubled rows (transactions ${counts.transactions} → ${transactions}, settlements ${counts.settlements} → ${settlements}). This is a bug in settlement-match; nothing was written.`,
    );
  }
}
