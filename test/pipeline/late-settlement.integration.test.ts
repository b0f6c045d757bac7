import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMatchingRules } from '../../config/matching-rules.ts';
import type { DatasetName } from '../../config/partners.ts';
import { gatesFor } from '../../config/ready-gates.ts';
import type { TransactionType } from '../../contracts/datasets/transactions.ts';
import type { ReadyMarker } from '../../services/ready-publisher/ready-marker.ts';
import { generateSampleSet } from '../sample-data/index.ts';
import {
  cutoffOf,
  earliestCutoff,
  gatesOf,
  hoursAfter,
  landAt,
  matchRunsOf,
  type PublishedVerdict,
  rowsOf,
  type Scenario,
  startScenario,
  verdictsOf,
} from './scenario-support.ts';
import { configureTestEnvironment, listKeys, matchRecordsOf, readObjectText } from './support.ts';

// A Thursday and a Friday: every partner is expected for both datasets (config/ready-gates.ts).
const DATE = '2026-11-19';
const NEXT_DATE = '2026-11-20';
const LATE = 'initech-acq';
const PARTNERS = ['acme-bank', 'globex-pay', 'initech-acq'] as const;
const sampleSet = generateSampleSet({
  seed: 13,
  dates: [DATE, NEXT_DATE],
  rowsPerFile: 8,
  defects: 'none',
}).filter((file) => !file.expected.redeliveryOf);

function fileOf(partner: string, dataset: DatasetName, date: string) {
  const file = sampleSet.find(
    (entry) => entry.partner === partner && entry.dataset === dataset && entry.businessDate === date,
  );
  if (!file) throw new Error(`The sample set has no ${partner} ${dataset} file for ${date}.`);
  return file;
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

/**
 * What settlement-match must conclude for a partner as of DATE, from the generated rows and the partner's rules
 * (config/matching-rules.ts). Every settlement nets to its payment (amount + fee), so a payment claimed once is
 * matched; one claimed more than once is an over-settled AMOUNT mismatch where instalments are allowed (1:N),
 * else matched 1:1 with the surplus settlements orphaned (AMBIGUOUS_REFERENCE). Nothing is aged on its own
 * business date (every partner waits at least a day).
 */
function expectedMatch(partner: string, withSettlements: boolean) {
  const rules = findMatchingRules(partner)!;
  const payments = rowsOf(fileOf(partner, 'transactions', DATE)).filter((row) =>
    rules.settlingTypes.includes(row.type as TransactionType),
  );
  const settlements = withSettlements ? rowsOf(fileOf(partner, 'settlements', DATE)) : [];
  const claims = new Map<string, number>();
  for (const row of settlements)
    claims.set(row.transaction_reference!, (claims.get(row.transaction_reference!) ?? 0) + 1);
  const claimsOf = (row: Record<string, string>) => claims.get(row.transaction_id!) ?? 0;
  const instalments = rules.passes.some((pass) => pass.partialSettlements);
  const matched = payments.filter((row) => claimsOf(row) === 1 || (!instalments && claimsOf(row) > 1));
  const mismatched = payments.filter((row) => instalments && claimsOf(row) > 1);
  const open = payments.filter((row) => claimsOf(row) === 0);
  const mismatchedSettlements = mismatched.reduce((sum, row) => sum + claimsOf(row), 0);
  return {
    counts: {
      transactions: payments.length,
      settlements: settlements.length,
      matchedTransactions: matched.length,
      mismatchedTransactions: mismatched.length,
      unmatchedTransactions: open.length,
      agedTransactions: 0,
      orphanSettlements: settlements.length - matched.length - mismatchedSettlements,
    },
    matchedIds: sorted(matched.map((row) => row.transaction_id!)),
    openIds: sorted(open.map((row) => row.transaction_id!)),
  };
}

/**
 * The matching-rate gates that must fail for DATE: matched over eligible (matched + mismatched; nothing is aged on
 * its own date) under the minimum of config/ready-gates.ts, per partner, from the generated rows.
 */
function failingMatchingGates(lateFileLanded: boolean): string[] {
  const minBps = gatesFor('transactions')!.minMatchingRateBps!;
  return PARTNERS.filter((partner) => {
    const { counts } = expectedMatch(partner, partner !== LATE || lateFileLanded);
    const eligible = counts.matchedTransactions + counts.mismatchedTransactions;
    return counts.matchedTransactions * 10_000 < minBps * eligible;
  }).map((partner) => `matching-rate:${partner}`);
}

const idsOf = (records: Awaited<ReturnType<typeof matchRecordsOf>>, outcome: string) =>
  sorted(
    records
      .filter((record) => record.outcome === outcome)
      .flatMap((record) => record.transactions ?? (record.transaction ? [record.transaction] : []))
      .map((row) => row.id),
  );
const failedNames = (verdict: PublishedVerdict | undefined) =>
  gatesOf(verdict).failed.map((gate) => gate.name);
const gateNamed = (verdict: PublishedVerdict | undefined, name: string) =>
  [...gatesOf(verdict).passed, ...gatesOf(verdict).failed].find((gate) => gate.name === name);

describe('a late settlement file on the offline runtime', () => {
  let scenario: Scenario;
  let transactionsBefore: PublishedVerdict | undefined;
  const latest = async (dataset: DatasetName, date: string) =>
    (await verdictsOf(scenario.runtime, dataset, date)).at(-1);
  const onTime = (date: string) => hoursAfter(earliestCutoff(date), -1);

  beforeAll(async () => {
    configureTestEnvironment();
    scenario = await startScenario();
    await landAt(
      scenario,
      onTime(DATE),
      sampleSet.filter(
        (file) => file.businessDate === DATE && !(file.partner === LATE && file.dataset === 'settlements'),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await scenario?.runtime.stop();
  });

  it('blocks the settlements date on the missing initech-acq file and reports its payments unmatched', async () => {
    // Prepare
    const expected = expectedMatch(LATE, false);

    // Act
    const verdict = await latest('settlements', DATE);
    const run = (await matchRunsOf(scenario.runtime, LATE, DATE)).at(-1)!;
    transactionsBefore = await latest('transactions', DATE);

    // Assess: only initech-acq's gates fail (no defects, the others on time); every payment is open.
    expect(verdict?.kind).toBe('BLOCKED');
    expect(failedNames(verdict)).toEqual([
      `file-on-time:${LATE}`,
      `quarantine-rate:${LATE}`,
      `open-conflicts:${LATE}`,
      `reconciliation:${LATE}`,
    ]);
    expect(gateNamed(verdict, `file-on-time:${LATE}`)?.detail).toContain(
      `No file from ${LATE}: it was due by`,
    );
    expect(gateNamed(verdict, 'file-on-time:acme-bank')?.detail).toContain('before the cut-off');
    expect(run.data.inputs.map((input) => input.dataset)).toEqual(['transactions']);
    expect(run.data.counts).toMatchObject(expected.counts);
    expect(run.data.counts.unmatchedTransactions).toBe(run.data.counts.transactions);
    expect(expected.openIds.length).toBeGreaterThan(0);
    expect(idsOf(await matchRecordsOf(scenario.runtime, run), 'unmatched')).toEqual(expected.openIds);
  });

  it('matches the open items and publishes the date when initech-acq settles two hours after its cut-off', async () => {
    // Prepare
    const cutoff = cutoffOf('settlements', LATE, DATE);
    const expected = expectedMatch(LATE, true);
    const settledRows = PARTNERS.reduce(
      (sum, partner) => sum + rowsOf(fileOf(partner, 'settlements', DATE)).length,
      0,
    );

    // Act
    await landAt(scenario, hoursAfter(cutoff, 2), [fileOf(LATE, 'settlements', DATE)]);
    const run = (await matchRunsOf(scenario.runtime, LATE, DATE)).at(-1)!;
    const verdict = await latest('settlements', DATE);

    // Assess: the re-run reads both files and closes what the settlements claim.
    expect(run.data.inputs.map((input) => input.dataset)).toEqual(['settlements', 'transactions']);
    expect(run.data.counts).toMatchObject(expected.counts);
    expect(run.data.counts.unmatchedTransactions).toBeLessThan(expectedMatch(LATE, false).openIds.length);
    const records = await matchRecordsOf(scenario.runtime, run);
    expect(idsOf(records, 'matched')).toEqual(expected.matchedIds);
    expect(idsOf(records, 'unmatched')).toEqual(expected.openIds);
    expect(sorted([...expected.matchedIds, ...expected.openIds])).toEqual(expectedMatch(LATE, false).openIds);
    expect(verdict?.kind).toBe('READY');
    const onTimeGate = gateNamed(verdict, `file-on-time:${LATE}`)!;
    expect(onTimeGate.threshold).toBe(cutoff.toISOString());
    expect(Date.parse(String(onTimeGate.observed))).toBeGreaterThanOrEqual(hoursAfter(cutoff, 2).getTime());
    expect(onTimeGate.detail).toMatch(
      new RegExp(`after the cut-off .*; late files are accepted for ${LATE}\\.$`),
    );
    const ready = verdict?.kind === 'READY' ? verdict.event.data : undefined;
    const marker = JSON.parse(
      await readObjectText(scenario.runtime, ready!.marker.bucket, ready!.marker.key),
    ) as ReadyMarker;
    expect(marker).toMatchObject({
      runId: ready!.runId,
      contentHash: ready!.contentHash,
      rowCount: settledRows,
    });
    expect(
      sorted(
        await listKeys(
          scenario.runtime,
          ready!.gold.bucket,
          `gold/dataset=settlements/dt=${DATE}/run_id=${ready!.runId}/`,
        ),
      ),
    ).toEqual(sorted([...ready!.gold.parts, ready!.marker.key]));
  });

  it('re-evaluates the transactions date with the new match run, ready exactly when every matching rate holds', async () => {
    // Prepare: on-time files, no defects, no duplicates: only the matching-rate gates can fail.
    const lateRun = (await matchRunsOf(scenario.runtime, LATE, DATE)).at(-1)!;

    // Act
    const verdict = await latest('transactions', DATE);
    const published = await verdictsOf(scenario.runtime, 'transactions', DATE);

    // Assess: before the late file, initech-acq's open payments were not yet eligible (younger than its wait).
    expect(failedNames(transactionsBefore)).toEqual(failingMatchingGates(false));
    expect(verdict?.event.runId).not.toBe(transactionsBefore?.event.runId);
    expect(gateNamed(verdict, `matching-rate:${LATE}`)?.detail).toContain(
      `match run ${lateRun.data.matchRunId}`,
    );
    expect(failedNames(verdict)).toEqual(failingMatchingGates(true));
    expect(verdict?.kind).toBe(failingMatchingGates(true).length === 0 ? 'READY' : 'BLOCKED');
    for (const partner of PARTNERS)
      expect((await matchRunsOf(scenario.runtime, partner, DATE)).at(-1)?.data.counts).toMatchObject(
        expectedMatch(partner, true).counts,
      );
    // The transactions did not change: every gold publication of the date has one content hash.
    const hashes = published.flatMap((entry) =>
      entry.kind === 'READY' ? [entry.event.data.contentHash] : [],
    );
    expect(new Set(hashes).size).toBeLessThanOrEqual(1);
  });

  it('keeps a date blocked when a partner whose late files block lands its file late', async () => {
    // Prepare: acme-bank's settlements are `late: 'block'`; everything else of NEXT_DATE lands on time.
    const lateFile = fileOf('acme-bank', 'settlements', NEXT_DATE);
    await landAt(
      scenario,
      onTime(NEXT_DATE),
      sampleSet.filter((file) => file.businessDate === NEXT_DATE && file !== lateFile),
    );

    // Act
    await landAt(scenario, hoursAfter(cutoffOf('settlements', 'acme-bank', NEXT_DATE), 2), [lateFile]);
    const verdict = await latest('settlements', NEXT_DATE);

    // Assess
    expect(verdict?.kind).toBe('BLOCKED');
    expect(failedNames(verdict)).toEqual(['file-on-time:acme-bank']);
    expect(gateNamed(verdict, 'file-on-time:acme-bank')?.detail).toMatch(
      /after the cut-off .*\. Late files block this dataset/,
    );
    expect(
      await listKeys(
        scenario.runtime,
        scenario.runtime.resources.buckets.gold!.name,
        `gold/dataset=settlements/dt=${NEXT_DATE}/`,
      ),
    ).toEqual([]);
  });
});
