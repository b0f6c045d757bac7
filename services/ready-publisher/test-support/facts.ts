import { dateToEpochDays } from '../../../contracts/datasets/fields.ts';
import type { ReadyFacts, ReconciliationFact } from '../gate-facts.ts';
import type { GoldRow } from '../gold-rows.ts';

/** A Friday: every transactions partner is expected. */
export const DATE = '2026-11-20';
/** After every partner's cut-off for DATE. */
export const AFTER_CUTOFFS = new Date('2026-11-21T12:00:00Z');
export const PARTNERS = ['acme-bank', 'globex-pay', 'initech-acq'] as const;

export function reconciliationOf(
  partner: string,
  change: Partial<ReconciliationFact> = {},
): ReconciliationFact {
  return {
    partner,
    reconRunId: `recon-${partner}`,
    balanced: true,
    breakCount: 0,
    fileIds: [`f_${partner}`],
    curated: { rows: 2, sums: { EUR: '3000' } },
    ...change,
  };
}

/** Facts under which every transactions gate passes: one file per partner, landed the evening before every cut-off. */
export function readyFacts(partners: readonly string[] = PARTNERS): ReadyFacts {
  return {
    files: partners.map((partner) => ({
      partner,
      fileId: `f_${partner}`,
      landedAt: '2026-11-20T20:00:00Z',
      stage: 'VALIDATED' as const,
    })),
    quarantine: partners.map((partner) => ({ partner, rowsIn: 1000, quarantined: 10 })),
    conflicts: partners.map((partner) => ({ partner, open: 0 })),
    reconciliations: partners.map((partner) => reconciliationOf(partner)),
    matches: partners.map((partner) => ({
      partner,
      runId: `match-${partner}`,
      matched: 990,
      eligible: 1000,
    })),
  };
}

/** Facts with one kind replaced or one partner's fact of a kind removed. */
export function factsWith(change: Partial<ReadyFacts>, facts: ReadyFacts = readyFacts()): ReadyFacts {
  return { ...facts, ...change };
}

export const without = <T extends { partner: string }>(facts: readonly T[], partner: string): T[] =>
  facts.filter((fact) => fact.partner !== partner);

/** A curated transactions row as read from dedup's unique parts. */
export function txRow(
  transactionId: string,
  change: {
    amount?: bigint;
    currency?: string;
    partner?: string;
    fileId?: string;
    row?: number;
    sha256?: string;
    runId?: string;
  } = {},
): GoldRow {
  const partner = change.partner ?? 'acme-bank';
  return {
    transaction_id: transactionId,
    type: 'payment',
    amount_minor: change.amount ?? 1500n,
    currency: change.currency ?? 'EUR',
    currency_exponent: 2,
    occurred_at: 1_763_629_200_000_000n,
    occurred_at_text: '2026-11-20T10:00:00+01:00',
    merchant_id: 'm-1',
    settlement_reference: null,
    card_bin: '411111',
    card_last4: '1111',
    card_fingerprint: 'c'.repeat(64),
    partner,
    business_date: dateToEpochDays(DATE),
    _file_id: change.fileId ?? `f_${partner}`,
    _file_sha256: change.sha256 ?? 'a'.repeat(64),
    _row_number: BigInt(change.row ?? 2),
    _run_id: change.runId ?? 'run_validate_1',
    _schema_v: 1,
  };
}

/** Deep-freeze so a test fails if the domain mutates its input. */
export function frozen<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

/** The item at an index (negative from the end), or a failed test when there is none. */
export function at<T>(list: readonly T[], index: number): T {
  const item = list.at(index);
  if (item === undefined) throw new Error(`expected an item at ${index}, found ${list.length} items`);
  return item;
}
