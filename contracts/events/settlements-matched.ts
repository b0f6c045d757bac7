import { z } from 'zod';
import {
  BusinessDateSchema,
  CurrencyCodeSchema,
  defineEvent,
  type EventDetail,
  MinorUnitsSchema,
  PartsRefSchema,
  parseDetailOfItsVersion,
} from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';
import { PartsOrManifestRefSchema } from './parts-manifest-ref.ts';

const count = z.number().int().nonnegative();

/**
 * Row conservation of one matching run: every transaction and every settlement read is in exactly one outcome.
 * Partially settled groups hold one transaction each; aged counts open transactions (unmatched or partially
 * settled) past the partner's settlementWaitDays.
 */
export const MatchCountsSchema = z
  .object({
    transactions: count,
    settlements: count,
    matchedGroups: count,
    matchedTransactions: count,
    matchedSettlements: count,
    partiallySettled: count,
    partiallySettledSettlements: count,
    unmatchedTransactions: count,
    agedTransactions: count,
    orphanSettlements: count,
    amountMismatches: count,
    mismatchedTransactions: count,
    mismatchedSettlements: count,
  })
  .strict()
  .refine(
    (c) =>
      c.transactions ===
      c.matchedTransactions + c.partiallySettled + c.unmatchedTransactions + c.mismatchedTransactions,
    {
      message:
        'transactions must equal matchedTransactions + partiallySettled + unmatchedTransactions + mismatchedTransactions',
    },
  )
  .refine(
    (c) =>
      c.settlements ===
      c.matchedSettlements + c.partiallySettledSettlements + c.orphanSettlements + c.mismatchedSettlements,
    {
      message:
        'settlements must equal matchedSettlements + partiallySettledSettlements + orphanSettlements + mismatchedSettlements',
    },
  )
  .refine((c) => groupsFit(c.matchedGroups, c.matchedTransactions, c.matchedSettlements), {
    message: 'every matched group holds at least one transaction and one settlement',
  })
  .refine((c) => groupsFit(c.partiallySettled, c.partiallySettled, c.partiallySettledSettlements), {
    message: 'every partially settled transaction has at least one settlement',
  })
  .refine((c) => groupsFit(c.amountMismatches, c.mismatchedTransactions, c.mismatchedSettlements), {
    message: 'every amount mismatch holds at least one transaction and one settlement',
  })
  .refine((c) => c.agedTransactions <= c.unmatchedTransactions + c.partiallySettled, {
    message: 'agedTransactions counts open transactions only',
  });

/** Groups of at least one row per side: none iff no rows, and never more groups than rows. */
function groupsFit(groups: number, transactions: number, settlements: number): boolean {
  return (
    (groups === 0) === (transactions === 0) &&
    (groups === 0) === (settlements === 0) &&
    groups <= transactions &&
    groups <= settlements
  );
}

/** Sum per ISO 4217 currency in its minor units; a currency with no row in the bucket is absent. */
export const CurrencySumsSchema = z.record(CurrencyCodeSchema, MinorUnitsSchema);
type CurrencySums = z.infer<typeof CurrencySumsSchema>;

const MINOR = /^-?(0|[1-9][0-9]*)$/;

/** Per currency, total = Σ parts (absent = 0). Malformed amounts are left to the field's own issue. */
function conserves(total: CurrencySums, parts: readonly CurrencySums[]): boolean {
  const all = [total, ...parts];
  if (all.some((sums) => Object.values(sums).some((value) => !MINOR.test(value)))) return true;
  const currencies = new Set(all.flatMap((sums) => Object.keys(sums)));
  return [...currencies].every(
    (currency) =>
      BigInt(total[currency] ?? '0') === parts.reduce((sum, part) => sum + BigInt(part[currency] ?? '0'), 0n),
  );
}

/** Transaction amounts per outcome; money conservation: total = matched + partiallySettled + unmatched + mismatched. */
export const TransactionSumsSchema = z
  .object({
    total: CurrencySumsSchema,
    matched: CurrencySumsSchema,
    partiallySettled: CurrencySumsSchema,
    unmatched: CurrencySumsSchema,
    mismatched: CurrencySumsSchema,
  })
  .strict()
  .refine((s) => conserves(s.total, [s.matched, s.partiallySettled, s.unmatched, s.mismatched]), {
    message: 'per currency, total must equal matched + partiallySettled + unmatched + mismatched',
  });

/** Settlement amounts (or fees) per outcome; total = matched + partiallySettled + orphan + mismatched. */
export const SettlementSumsSchema = z
  .object({
    total: CurrencySumsSchema,
    matched: CurrencySumsSchema,
    partiallySettled: CurrencySumsSchema,
    orphan: CurrencySumsSchema,
    mismatched: CurrencySumsSchema,
  })
  .strict()
  .refine((s) => conserves(s.total, [s.matched, s.partiallySettled, s.orphan, s.mismatched]), {
    message: 'per currency, total must equal matched + partiallySettled + orphan + mismatched',
  });

/** One deduplicated file the run read. */
export const MatchInputSchema = z
  .object({
    dataset: DatasetNameSchema,
    fileId: z.string().regex(/^f_[0-9a-f]{24}$/),
    businessDate: BusinessDateSchema,
    /** Validation run of the rows (silver `_run_id`). */
    runId: z.string().min(1),
    /** Dedup run whose unique parts were read (the RecordsDeduplicated envelope's runId). */
    dedupRunId: z.string().min(1),
  })
  .strict();

/** What both versions carry; only `results` differs (v2 may point to a parts manifest). */
const payloadFields = {
  partner: z.string().regex(/^[a-z0-9-]{2,40}$/),
  /** The business date the run is for: the window's last day. */
  businessDate: BusinessDateSchema,
  window: z
    .object({ from: BusinessDateSchema, to: BusinessDateSchema })
    .strict()
    .refine((w) => w.from <= w.to, { message: 'window.from must not be after window.to' }),
  matchRunId: z.string().min(1),
  counts: MatchCountsSchema,
  sums: z
    .object({
      transactions: TransactionSumsSchema,
      settlementAmounts: SettlementSumsSchema,
      settlementFees: SettlementSumsSchema,
      /** What partially settled transactions still wait for (same sign as the transaction). */
      outstanding: CurrencySumsSchema,
    })
    .strict(),
  /** Match result files (matched groups, partially settled, unmatched, orphans, mismatches) with full rows and lineage. */
  results: PartsRefSchema,
  /** Every file matched over, in (dataset, businessDate, fileId) order. */
  inputs: z.array(MatchInputSchema).min(1),
};

type WindowedPayload = Pick<z.infer<z.ZodObject<typeof payloadFields>>, 'businessDate' | 'window' | 'inputs'>;

/** The window ends on the business date, holds every input, and names each file once (both versions). */
function checkWindow(p: WindowedPayload, context: z.RefinementCtx<WindowedPayload>): void {
  if (p.window.to !== p.businessDate)
    context.addIssue({ code: 'custom', path: ['window'], message: 'window.to must be the businessDate' });
  if (!p.inputs.every((input) => input.businessDate >= p.window.from && input.businessDate <= p.window.to))
    context.addIssue({ code: 'custom', path: ['inputs'], message: 'every input must lie inside the window' });
  if (new Set(p.inputs.map((input) => input.fileId)).size !== p.inputs.length)
    context.addIssue({ code: 'custom', path: ['inputs'], message: 'each file is an input once' });
}

export const SettlementsMatchedPayloadSchema = z.object(payloadFields).strict().superRefine(checkWindow);

/**
 * v2: `results` may point to a parts manifest instead of listing its parts, so a window of more result parts than
 * an event lists still fits the bus (services/settlement-match/README.md says when).
 */
export const SettlementsMatchedV2PayloadSchema = z
  .object({
    ...payloadFields,
    /** Match result files, listed, or a manifest listing them (too many to list here); same records as v1. */
    results: PartsOrManifestRefSchema,
  })
  .strict()
  .superRefine(checkWindow);

const DESCRIPTION =
  "A partner's deduplicated settlements were matched to its transactions over a window of business dates ending on businessDate, by the partner's matching rules: matched groups (1:1, partial 1:N, payout batch N:1), partially settled transactions with what is outstanding, unmatched transactions with their age, orphan settlements and amount mismatches (AMOUNT, FEE, CURRENCY). Each run is a full snapshot of its window: a later run for the same partner and date (a late file arrived) supersedes it, so never add counts across runs. Counts and per-currency sums add up to the rows read.";

export const SettlementsMatchedV1 = defineEvent({
  type: 'SettlementsMatched',
  version: 1,
  description: DESCRIPTION,
  payload: SettlementsMatchedPayloadSchema,
});

export const SettlementsMatchedV2 = defineEvent({
  type: 'SettlementsMatched',
  version: 2,
  description: `${DESCRIPTION} Since v2, results in more parts than an event lists (PARTS_LISTED_INLINE_MAX) point to a parts manifest (finledger-parts-manifest/v1: every part key in order, checked by count and sha256) instead of listing them; settlement-match publishes v2 only for such a run, v1 otherwise.`,
  payload: SettlementsMatchedV2PayloadSchema,
});

/** Every version consumers accept, for `parseEventRecordOf` and archive readers. */
export const SETTLEMENTS_MATCHED_VERSIONS = [SettlementsMatchedV1, SettlementsMatchedV2] as const;

/** A SettlementsMatched detail of either version: all but `results` read the same in both. */
export type SettlementsMatchedDetail =
  | EventDetail<typeof SettlementsMatchedV1>
  | EventDetail<typeof SettlementsMatchedV2>;

/** The payload of either version (`results` listed, or in a manifest: `readPartKeys` lists both). */
export type SettlementsMatchedData = SettlementsMatchedDetail['data'];

/** An archived or delivered detail as SettlementsMatched of its own version; null when it is neither. */
export const parseSettlementsMatched = (detail: unknown): SettlementsMatchedDetail | null =>
  parseDetailOfItsVersion(detail, SETTLEMENTS_MATCHED_VERSIONS);

export type SettlementsMatchedPayload = z.infer<typeof SettlementsMatchedPayloadSchema>;
export type MatchCountsPayload = z.infer<typeof MatchCountsSchema>;
