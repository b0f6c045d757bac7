import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { findMatchingRules } from '../../config/matching-rules.ts';
import {
  RECORDS_DEDUPLICATED_VERSIONS,
  type RecordsDeduplicatedDetail,
} from '../../contracts/events/records-deduplicated.ts';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { parseEventRecordOf } from '../../lib/consumer/eventbridge-record.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { laterWindowsToRematch } from './later-windows.ts';
import { type MatchRun, type MatchTrigger, matchPartnerDay, prepareMatchRun } from './match-run.ts';
import { settlementsMatchedEvent } from './settlements-matched-event.ts';
import { type SettlementMatchDeps, sideEffects } from './side-effects.ts';
import { planMatchUnits } from './units/match-unit-run.ts';

export type { RecordsDeduplicatedDetail };

/** One window matched and committed (or found already committed), or planned in units, by a record's processing. */
export type MatchedWindow = {
  asOf: string;
  matchRunId: string;
  /** False when a run over the same inputs had already committed (no second event), or when it runs in units. */
  committed: boolean;
  /** The window is matched in this many units by the unit worker, which commits the joined run. */
  units?: number;
};

type Counts = {
  transactions: number;
  settlements: number;
  matchedGroups: number;
  unmatchedTransactions: number;
};

/** What one record's processing returns (stored by Powertools idempotency, so JSON only). */
export type SettlementMatchResult = {
  partner: string;
  asOf: string;
  /** Empty when the run was left to a file of the same date still being deduplicated (`deferredTo`). */
  matchRunId: string;
  /** Files of the partner and date whose own RecordsDeduplicated will run the window with this file's rows. */
  deferredTo?: string[];
  /** False when a run over the same inputs had already committed (no second event), or when it runs in units. */
  committed: boolean;
  /** The window's counts when it was matched whole here; absent when deferred or sent to units. */
  counts?: Counts;
  /** The window is matched in this many units by the unit worker (`units/match-unit-run.ts`). */
  units?: number;
  /** Later dates whose windows read this file's date, matched again with its rows (`laterWindowsToRematch`). */
  laterWindows?: MatchedWindow[];
};

/** The trigger from a RecordsDeduplicated detail (v1 or v2: only `unique`, listed in both, is read): its partner and business date, and its own dedup run. */
export function triggerOf(detail: RecordsDeduplicatedDetail): MatchTrigger {
  const { data } = detail;
  return {
    partner: data.partner,
    asOf: data.businessDate,
    run: {
      fileId: data.fileId,
      partner: data.partner,
      dataset: data.dataset,
      businessDate: data.businessDate,
      schemaV: data.schemaV,
      runId: detail.runId,
      unique: data.unique,
      uniqueRows: data.counts.unique,
      committedAt: detail.occurredAt,
    },
  };
}

/**
 * Record a matched run and put its SettlementsMatched in the outbox, in one transaction (whole or joined). A result
 * list too long for the bus goes to a parts manifest first, and the event is then v2 (`settlementsMatchedEvent`).
 */
export async function commitRun(
  run: MatchRun,
  causationId: string,
  deps: Pick<SettlementMatchDeps, 'commit' | 'ports' | 'config'>,
) {
  const { partner, businessDate } = run.payload;
  const event = await settlementsMatchedEvent(
    run.payload,
    {
      producer: 'settlement-match',
      correlationId: `${partner}:${businessDate}`,
      causationId,
      runId: run.matchRunId,
    },
    deps.ports.objects,
    deps.config.partsListedInlineMax,
  );
  const result = await deps.commit({ event, notSettlingTransactions: run.notSettlingTransactions });
  return { committed: result === 'committed', event };
}

/**
 * Match one window: whole in this invocation and committed, or, above the unit size, planned in units that the
 * unit worker matches and the last of them commits.
 */
async function matchWindow(
  trigger: MatchTrigger,
  causationId: string,
  deps: SettlementMatchDeps,
): Promise<MatchedWindow & { counts?: Counts }> {
  const run = await prepareMatchRun(trigger, deps.ports, deps.config);
  const { asOf } = trigger;
  if (deps.units && run.windowRows > deps.units.sizes.aboveRows) {
    const units = await planMatchUnits(run, causationId, deps.ports, deps.config, deps.units);
    return { asOf, matchRunId: run.matchRunId, committed: false, units };
  }
  const { committed, event } = await commitRun(
    await matchPartnerDay(run, deps.ports, deps.config),
    causationId,
    deps,
  );
  const { counts } = event.data;
  return {
    asOf,
    matchRunId: run.matchRunId,
    committed,
    counts: {
      transactions: counts.transactions,
      settlements: counts.settlements,
      matchedGroups: counts.matchedGroups,
      unmatchedTransactions: counts.unmatchedTransactions,
    },
  };
}

/**
 * Match the partner's window as of the deduplicated file's business date, then record the run and put
 * SettlementsMatched in the outbox in one transaction. Safe to repeat: the run id hashes the inputs, result
 * parts are overwritten under the same keys, and a second commit over the same inputs is recognised and skipped.
 *
 * When other files of the partner and date are validated but not yet deduplicated (files landed together), the
 * run is left to them: each brings its own RecordsDeduplicated, and the last one matches every file's rows once
 * instead of the window being matched once per file. A file that is still being validated does not defer (it may
 * be rejected and bring no RecordsDeduplicated).
 *
 * Then the later dates whose windows read this date and already hold deduplicated files are matched again, so a
 * date's latest run reads every current file whatever order the files finished in (`laterWindowsToRematch`).
 */
export async function processRecordsDeduplicated(
  detail: RecordsDeduplicatedDetail,
  deps: SettlementMatchDeps = sideEffects().match,
): Promise<SettlementMatchResult> {
  const trigger = triggerOf(detail);
  const awaiting = (await deps.ports.filesAwaitingDedup(trigger.asOf, trigger.partner)).filter(
    (fileId) => fileId !== trigger.run.fileId,
  );
  if (awaiting.length > 0)
    return {
      partner: trigger.partner,
      asOf: trigger.asOf,
      matchRunId: '',
      deferredTo: awaiting,
      committed: false,
    };
  const { asOf: _asOf, ...own } = await matchWindow(trigger, detail.eventId, deps);
  const rules = findMatchingRules(trigger.partner);
  const laterWindows: MatchedWindow[] = [];
  if (rules)
    for (const asOf of await laterWindowsToRematch(trigger.partner, trigger.asOf, rules, deps.ports)) {
      const { counts: _counts, ...later } = await matchWindow({ ...trigger, asOf }, detail.eventId, deps);
      laterWindows.push(later);
    }
  return {
    partner: trigger.partner,
    asOf: trigger.asOf,
    ...own,
    ...(laterWindows.length > 0 ? { laterWindows } : {}),
  };
}

/**
 * settlement-match as an idempotent SQS consumer of RecordsDeduplicated (v1 and v2), keyed on the trigger (partner, date,
 * file, dedup run). The run's own key, `settlement-match:<partner>:<asOf>:<matchRunId>`, needs the registry
 * read first, so the `MATCH#…/RUN#<matchRunId>` item's condition enforces it at commit.
 */
export function settlementMatchConsumer(
  deps: () => SettlementMatchDeps = () => sideEffects().match,
): ConsumerDefinition<RecordsDeduplicatedDetail, SettlementMatchResult> {
  return {
    parse: (record) => Object.freeze(parseEventRecordOf(record, RECORDS_DEDUPLICATED_VERSIONS)),
    idempotencyKey: (detail) =>
      `${detail.data.partner}:${detail.data.businessDate}:${detail.data.fileId}:${detail.runId}`,
    fingerprint: (detail) =>
      `${detail.data.sha256}:${detail.data.unique.bucket}:${detail.data.unique.parts.join(',')}`,
    logKeys: (detail) => ({
      correlationId: `${detail.data.partner}:${detail.data.businessDate}`,
      runId: detail.runId,
      fileId: detail.data.fileId,
    }),
    process: (detail) => processRecordsDeduplicated(detail, deps()),
  };
}

const consumer = perEnvironment(() => createSqsConsumer(settlementMatchConsumer(), sideEffects().consumer));

/** Lambda entry point (RecordsDeduplicated → EventBridge → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
