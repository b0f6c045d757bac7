import { findPartner, type PartnerSpec, partners } from '../../config/partners.ts';
import { gatesFor } from '../../config/ready-gates.ts';
import { addDays, cutoffInstant } from '../../services/ready-publisher/cutoff.ts';
import { type BadFile, badFiles } from './bad-files.ts';
import { SETTLEMENT_DEFECTS, TRANSACTION_DEFECTS } from './defects.ts';
import { createRandom, seedFor } from './prng.ts';
import { injectRowDefects, type SampleFile, sampleFileOf, transactions } from './sample-set.ts';
import { placeSettlementDefects, type ScenarioBook, settleDay } from './scenario-settlements.ts';
import type { ExpectedVerdict, ScenarioTruth } from './scenario-truth.ts';

/** One upload of the scenario: what lands, under which key, and when (the simulated S3 event time). */
export interface ScenarioDelivery {
  readonly at: Date;
  readonly landingKey: string;
  readonly bytes: Uint8Array;
  readonly label: string;
  /** Deliveries of one wave may be processed in any order; a wave starts once the previous one settled. */
  readonly wave: 1 | 2 | 3;
}

export interface Scenario {
  readonly deliveries: readonly ScenarioDelivery[];
  readonly files: readonly SampleFile[];
  readonly badFiles: readonly BadFile[];
  readonly truth: ScenarioTruth;
}

/** Thursday and Friday: every partner is expected for both datasets. */
export const SCENARIO_DATES = ['2026-11-19', '2026-11-20'] as const;
/** A Saturday carrying only the hostile files (issue 2's bad deliveries). */
export const BROKEN_DELIVERIES_DATE = '2026-11-21';
const [D1, D2] = SCENARIO_DATES;
const HOUR_MS = 3_600_000;
const LATE_BY_MS = 8 * HOUR_MS;

/**
 * The main job's sample set: two business days of three partners with every issue-3 defect injected once, a
 * late file, a re-delivery and a day of hostile files, with the ground truth of what must be reported.
 *
 * Primary course:
 * 1. Per partner and date: seeded transactions; invalid rows (acme-bank, first date); record defects appended.
 * 2. Settlements for every valid payment, except the settlement defects (missing, partial, mismatch).
 * 3. Deliveries timed one hour before the partner's earliest cut-off, except the late file.
 * @example const { deliveries, truth } = generateScenario({ seed: 20261123, transactionsPerFile: 400 })
 */
export function generateScenario(options: { seed: number; transactionsPerFile: number }): Scenario {
  const book: ScenarioBook = emptyBook();
  const files: SampleFile[] = [];
  const deliveries: ScenarioDelivery[] = [];
  for (const [index, date] of SCENARIO_DATES.entries()) {
    for (const partner of partners) {
      const day = partnerDay(options, partner, date, book);
      files.push(day.transactions, day.settlements);
      const onTime = new Date(earliestCutoff(partner, date).getTime() - HOUR_MS);
      const late = partner.id === 'initech-acq' && date === D2;
      deliveries.push(delivery(day.transactions, onTime, index === 0 ? 1 : 2));
      if (!late) deliveries.push(delivery(day.settlements, onTime, index === 0 ? 1 : 2));
    }
  }
  const lateFile = files.find(
    (file) => file.partner === 'initech-acq' && file.dataset === 'settlements' && file.businessDate === D2,
  )!;
  const lateCutoff = cutoffOf(findPartner('initech-acq')!, 'settlements', D2);
  // After every other delivery of the day, so the date is evaluated (and blocked) without it first.
  const lateAt = new Date(lateCutoff.getTime() + LATE_BY_MS);
  deliveries.push(delivery(lateFile, lateAt, 3));
  book.lateFiles.push({
    partner: 'initech-acq',
    dataset: 'settlements',
    businessDate: D2,
    fileName: lateFile.fileName,
    minutesLate: Math.round((lateAt.getTime() - lateCutoff.getTime()) / 60_000),
    policy: 'accept',
  });
  book.injected.push({ kind: 'LATE_FILE', where: `${lateFile.landingKey} at ${lateAt.toISOString()}` });

  const redelivered = files[0]!;
  deliveries.push({
    ...delivery(redelivered, new Date(lateAt.getTime() + HOUR_MS), 3),
    label: `${redelivered.fileName} (again)`,
  });
  book.injected.push({ kind: 'REDELIVERED_FILE', where: redelivered.landingKey });

  const hostile = badFiles({ seed: options.seed, date: BROKEN_DELIVERIES_DATE });
  const hostileAt = new Date(
    Math.min(
      ...hostile.map((file) => earliestCutoff(findPartner(file.partner)!, BROKEN_DELIVERIES_DATE).getTime()),
    ) - HOUR_MS,
  );
  for (const file of hostile) {
    deliveries.push({
      at: hostileAt,
      landingKey: file.landingKey,
      bytes: file.bytes,
      label: file.name,
      wave: 3,
    });
    if (file.expected.outcome === 'rejected')
      book.injected.push({ kind: 'REJECTED_FILE', where: file.landingKey });
  }

  return {
    deliveries: deliveries.sort((a, b) => a.wave - b.wave || a.at.getTime() - b.at.getTime()),
    files,
    badFiles: hostile,
    truth: {
      businessDates: SCENARIO_DATES,
      brokenDeliveriesDate: BROKEN_DELIVERIES_DATE,
      ...book,
      orphanSettlements: [],
      redelivered: [redelivered.landingKey],
      rejectedFiles: hostile.flatMap((file) =>
        file.expected.outcome === 'rejected'
          ? [{ name: file.name, landingKey: file.landingKey, code: file.expected.code }]
          : [],
      ),
      verdicts: EXPECTED_VERDICTS,
    },
  };
}

/** The verdicts the scenario's defects lead to under config/ready-gates.ts. */
const EXPECTED_VERDICTS: readonly ExpectedVerdict[] = [
  {
    dataset: 'transactions',
    businessDate: D1,
    verdict: 'READY',
    failedGates: [],
    because:
      'acme-bank quarantines 5 of 400 rows (125 bp ≤ 200 bp); duplicates are dropped, not gated; every valid payment is settled or its settlement was quarantined (open, not yet aged)',
  },
  {
    dataset: 'settlements',
    businessDate: D1,
    verdict: 'READY',
    failedGates: [],
    because: 'acme-bank quarantines 2 settlements (< 100 bp)',
  },
  {
    dataset: 'transactions',
    businessDate: D2,
    verdict: 'BLOCKED',
    failedGates: ['open-conflicts:initech-acq'],
    because:
      'the conflicting duplicate is quarantined and stays open; the amount mismatch (1 of ~280) keeps globex-pay over 95 %',
  },
  {
    dataset: 'settlements',
    businessDate: D2,
    verdict: 'READY',
    failedGates: [],
    because: "initech-acq's file is late, and its late settlements are accepted (config/ready-gates.ts)",
  },
  {
    dataset: 'transactions',
    businessDate: BROKEN_DELIVERIES_DATE,
    verdict: 'BLOCKED',
    failedGates: ['quarantine-rate:globex-pay', 'reconciliation:acme-bank', 'reconciliation:globex-pay'],
    because:
      'rejected files are reconciliation breaks until re-sent; 1 of 5 rows of the truncated globex-pay file is quarantined (2000 bp)',
  },
];

function emptyBook(): ScenarioBook {
  return {
    quarantined: [],
    duplicates: [],
    conflicts: [],
    unmatched: [],
    partiallySettled: [],
    mismatches: [],
    lateFiles: [],
    injected: [],
    days: new Map(),
  };
}

/**
 * One partner's transactions and settlements files of a date. Invalid rows are injected first, so no special record
 * (duplicate, batch, instalment) is one of them; record defects are appended after, keeping row numbers stable.
 */
function partnerDay(
  options: { seed: number; transactionsPerFile: number },
  partner: PartnerSpec,
  date: string,
  book: ScenarioBook,
): { transactions: SampleFile; settlements: SampleFile } {
  const random = createRandom(seedFor(options.seed, `scenario/${partner.id}/${date}`));
  const rows = transactions({ seed: options.seed, rowsPerFile: options.transactionsPerFile }, partner, date);
  const invalid = partner.id === 'acme-bank' && date === D1;
  const injected = injectRowDefects(rows, 'transactions', random, {
    kinds: invalid ? TRANSACTION_DEFECTS : [],
    cardNumbers: invalid ? 2 : 0,
  });
  const txFile = () =>
    sampleFileOf({
      partner,
      dataset: 'transactions',
      date,
      records: rows,
      injected,
      withTrailer: trailer(partner, 'transactions', date),
    });
  for (const defect of injected.defects)
    book.quarantined.push({
      partner: partner.id,
      dataset: 'transactions',
      businessDate: date,
      fileName: txFile().fileName,
      row: defect.row,
      field: defect.field,
      defect: defect.kind,
    });
  for (const defect of injected.defects)
    book.injected.push({
      kind: 'INVALID_ROW',
      where: `${partner.id} transactions ${date} row ${defect.row} (${defect.kind})`,
    });

  const validPayments = rows.filter((row, index) => !injected.broken.has(index) && row.type === 'payment');
  book.days.set(`${partner.id}#${date}`, validPayments);
  const { plain, special } = settleDay(random, partner, date, validPayments, book);
  const settlementDefects = invalid ? SETTLEMENT_DEFECTS : [];
  const settlementRows = [...plain];
  const brokenSettlements = injectRowDefects(settlementRows, 'settlements', random, {
    kinds: settlementDefects,
    cardNumbers: 0,
  });
  placeSettlementDefects(partner, date, plain, brokenSettlements, book);
  appendRecordDefects(partner, date, rows, book);

  return {
    transactions: txFile(),
    settlements: sampleFileOf({
      partner,
      dataset: 'settlements',
      date,
      records: [...settlementRows, ...special],
      injected: brokenSettlements,
      withTrailer: trailer(partner, 'settlements', date),
    }),
  };
}

/** Exact duplicates (within the file; of the day before) and a conflicting duplicate, appended to `rows`. */
function appendRecordDefects(
  partner: PartnerSpec,
  date: string,
  rows: ReturnType<typeof transactions>,
  book: ScenarioBook,
) {
  const site = { partner: partner.id, dataset: 'transactions' as const, businessDate: date };
  const today = book.days.get(`${partner.id}#${date}`) ?? [];
  const yesterday = book.days.get(`${partner.id}#${addDays(date, -1)}`) ?? [];
  if (partner.id === 'globex-pay' && date === D1) {
    const copy = today[today.length - 1]!;
    rows.push({ ...copy });
    book.duplicates.push({ ...site, id: copy.transaction_id, scope: 'within-file' });
    book.injected.push({
      kind: 'EXACT_DUPLICATE_WITHIN_FILE',
      where: `${partner.id} transactions ${date} ${copy.transaction_id}`,
    });
  }
  if (partner.id === 'globex-pay' && date === D2) {
    const copy = yesterday[0]!;
    rows.push({ ...copy });
    book.duplicates.push({ ...site, id: copy.transaction_id, scope: 'cross-file' });
    book.injected.push({
      kind: 'EXACT_DUPLICATE_CROSS_DAY',
      where: `${partner.id} transactions ${date} ${copy.transaction_id} (of ${D1})`,
    });
  }
  if (partner.id === 'initech-acq' && date === D2) {
    const original = yesterday[0]!;
    // Same id, one more major unit: a corrected amount the partner re-sent without telling us.
    const amount =
      original.currency === 'JPY' ? String(Number(original.amount) + 1) : bumpMajor(original.amount);
    rows.push({ ...original, amount });
    book.conflicts.push({ ...site, id: original.transaction_id, scope: 'cross-file' });
    book.injected.push({
      kind: 'CONFLICTING_DUPLICATE',
      where: `${partner.id} transactions ${date} ${original.transaction_id} (${original.amount} on ${D1}, ${amount} now)`,
    });
  }
}

/** `12.34` → `13.34`, `5.000` → `6.000`: one more major unit, same decimals. */
function bumpMajor(amount: string): string {
  const [whole, fraction] = amount.split('.');
  return fraction === undefined ? String(Number(whole) + 1) : `${Number(whole) + 1}.${fraction}`;
}

function trailer(partner: PartnerSpec, dataset: 'transactions' | 'settlements', date: string): boolean {
  return partner.datasets[dataset]?.trailer === 'required' || date === D1;
}

function delivery(file: SampleFile, at: Date, wave: 1 | 2 | 3): ScenarioDelivery {
  return { at, landingKey: file.landingKey, bytes: file.bytes, label: file.fileName, wave };
}

function cutoffOf(partner: PartnerSpec, dataset: 'transactions' | 'settlements', date: string): Date {
  const expected = gatesFor(dataset)?.expectedFiles.find((file) => file.partner === partner.id);
  if (!expected) throw new Error(`config/ready-gates.ts expects no ${dataset} file from ${partner.id}`);
  return cutoffInstant(date, expected.cutoff, partner.timezone);
}

/** The earlier of the partner's transactions and settlements cut-offs (or the one it is expected for). */
function earliestCutoff(partner: PartnerSpec, date: string): Date {
  const cutoffs = (['transactions', 'settlements'] as const).flatMap((dataset) =>
    gatesFor(dataset)?.expectedFiles.some((file) => file.partner === partner.id)
      ? [cutoffOf(partner, dataset, date).getTime()]
      : [],
  );
  return new Date(Math.min(...cutoffs));
}
