import type { DatasetGates, ExpectedFile } from '../../config/ready-gates.ts';
import { addDays, cutoffInstant } from './cutoff.ts';
import type {
  ConflictFact,
  GateResult,
  LandedFileFact,
  MatchFact,
  QuarantineFact,
  ReconciliationFact,
} from './gate-facts.ts';

const MINUTE_MS = 60_000;

/** `12.34%` from a part and a whole, for people; decisions never use it. */
const percent = (part: number, whole: number): string => `${((part * 100) / whole).toFixed(2)}%`;
const bpsPercent = (bps: number): string => `${(bps / 100).toFixed(2)}%`;
/** A rate as a fraction for dashboards, rounded to 6 places; decisions never use it. */
const fraction = (part: number, whole: number): number => Math.round((part / whole) * 1e6) / 1e6;

function minutesBetween(earlier: Date, later: Date): string {
  const minutes = Math.round((later.getTime() - earlier.getTime()) / MINUTE_MS);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** At least one partner is expected or delivered something: an empty date is never ready by default. */
export function scopeGate(partners: readonly string[], dataset: string, businessDate: string): GateResult {
  return {
    name: 'partners-in-scope',
    passed: partners.length > 0,
    detail:
      partners.length > 0
        ? `${partners.length} partner(s) in scope: ${partners.join(', ')}.`
        : `No partner is expected for ${dataset} on ${businessDate} and nothing landed: there is nothing to publish.`,
    observed: partners.length,
    threshold: 1,
  };
}

/**
 * The partner's file landed by its cut-off (partner-local wall time, compared as instants). Rejected files do not
 * count: what must be on time is a usable file.
 */
export function fileOnTimeGate(
  expected: ExpectedFile,
  timeZone: string,
  businessDate: string,
  now: Date,
  files: readonly LandedFileFact[],
): GateResult {
  const name = `file-on-time:${expected.partner}`;
  const due = cutoffInstant(businessDate, expected.cutoff, timeZone);
  const dueText = `${addDays(businessDate, expected.cutoff.daysAfter)} ${expected.cutoff.localTime} ${timeZone} (${due.toISOString()})`;
  const threshold = due.toISOString();
  const usable = files
    .filter((file) => file.stage !== 'REJECTED')
    .sort((a, b) => Date.parse(a.landedAt) - Date.parse(b.landedAt));
  const first = usable[0];
  if (!first) {
    const rejected = files.map((file) => file.fileId);
    const detail =
      rejected.length > 0
        ? `Only rejected files landed for ${expected.partner} (${rejected.join(', ')}); a corrected file is due by ${dueText}.`
        : now < due
          ? `No file from ${expected.partner} yet; due by ${dueText}.`
          : `No file from ${expected.partner}: it was due by ${dueText}, ${minutesBetween(due, now)} ago. Ask the partner for the delivery.`;
    return { name, passed: false, detail, observed: null, threshold };
  }
  const landedAt = new Date(first.landedAt);
  if (landedAt <= due) {
    return {
      name,
      passed: true,
      detail: `${first.fileId} landed at ${landedAt.toISOString()}, ${minutesBetween(landedAt, due)} before the cut-off ${dueText}.`,
      observed: landedAt.toISOString(),
      threshold,
    };
  }
  const late = `${first.fileId} landed at ${landedAt.toISOString()}, ${minutesBetween(due, landedAt)} after the cut-off ${dueText}`;
  return expected.late === 'accept'
    ? {
        name,
        passed: true,
        detail: `${late}; late files are accepted for ${expected.partner}.`,
        observed: landedAt.toISOString(),
        threshold,
      }
    : {
        name,
        passed: false,
        detail: `${late}. Late files block this dataset (config/ready-gates.ts); agree a release with finance.`,
        observed: landedAt.toISOString(),
        threshold,
      };
}

/** Quarantined rows over rows read stays at or under the maximum (integer comparison in basis points). */
export function quarantineGate(
  partner: string,
  fact: QuarantineFact | undefined,
  spec: DatasetGates,
): GateResult {
  const name = `quarantine-rate:${partner}`;
  const threshold = spec.maxQuarantineRateBps / 10_000;
  if (!fact) {
    return {
      name,
      passed: false,
      detail: `No validated file yet for ${partner}: the quarantine rate is unknown.`,
      observed: null,
      threshold,
    };
  }
  if (fact.rowsIn === 0) {
    return {
      name,
      passed: true,
      detail: `No rows were read for ${partner}, so none were quarantined.`,
      observed: 0,
      threshold,
    };
  }
  const passed = fact.quarantined * 10_000 <= spec.maxQuarantineRateBps * fact.rowsIn;
  return {
    name,
    passed,
    detail: `${fact.quarantined} of ${fact.rowsIn} rows of ${partner} quarantined (${percent(fact.quarantined, fact.rowsIn)}), at most ${bpsPercent(spec.maxQuarantineRateBps)} allowed.${passed ? '' : ' Send the quarantine parts to the partner and re-land corrected rows.'}`,
    observed: fraction(fact.quarantined, fact.rowsIn),
    threshold,
  };
}

/** No more conflicts left open than allowed (none, by default). */
export function conflictsGate(
  partner: string,
  fact: ConflictFact | undefined,
  spec: DatasetGates,
): GateResult {
  const name = `open-conflicts:${partner}`;
  const threshold = spec.maxOpenConflicts;
  if (!fact) {
    return {
      name,
      passed: false,
      detail: `No dedup result yet for ${partner}: open conflicts are unknown.`,
      observed: null,
      threshold,
    };
  }
  const passed = fact.open <= spec.maxOpenConflicts;
  return {
    name,
    passed,
    detail: passed
      ? `${fact.open} open conflict(s) for ${partner}, at most ${spec.maxOpenConflicts} allowed.`
      : `${fact.open} open conflict(s) for ${partner} (same key, different content), at most ${spec.maxOpenConflicts} allowed. Resolve them from quarantine/dedup/…/conflicts/ with the partner.`,
    observed: fact.open,
    threshold,
  };
}

/** The partner's latest reconciliation is balanced and covers every file landed for it. */
export function reconciliationGate(
  partner: string,
  fact: ReconciliationFact | undefined,
  files: readonly LandedFileFact[],
): GateResult {
  const name = `reconciliation:${partner}`;
  const threshold = 'balanced, covering every landed file';
  if (!fact) {
    return {
      name,
      passed: false,
      detail: `No reconciliation yet for ${partner}.`,
      observed: null,
      threshold,
    };
  }
  const covered = new Set(fact.fileIds);
  const uncovered = files
    .map((file) => file.fileId)
    .filter((fileId) => !covered.has(fileId))
    .sort();
  if (uncovered.length > 0) {
    return {
      name,
      passed: false,
      detail: `Reconciliation ${fact.reconRunId} of ${partner} predates ${uncovered.join(', ')}; waiting for a reconciliation that covers every landed file.`,
      observed: `${fact.fileIds.length} of ${fact.fileIds.length + uncovered.length} files covered`,
      threshold,
    };
  }
  const landed = new Set(files.map((file) => file.fileId));
  const unknown = fact.fileIds.filter((fileId) => !landed.has(fileId));
  if (unknown.length > 0) {
    return {
      name,
      passed: false,
      detail: `Reconciliation ${fact.reconRunId} of ${partner} covers ${unknown.join(', ')}, which the file registry does not list for this date. Check the registry before publishing.`,
      observed: `${unknown.length} unknown file(s)`,
      threshold,
    };
  }
  return {
    name,
    passed: fact.balanced,
    detail: fact.balanced
      ? `Reconciliation ${fact.reconRunId} of ${partner} is balanced over ${fact.fileIds.length} file(s).`
      : `Reconciliation ${fact.reconRunId} of ${partner} has ${fact.breakCount} break(s); see its ReconciliationCompleted event for amounts and causes.`,
    observed: fact.balanced ? 'balanced' : `${fact.breakCount} break(s)`,
    threshold,
  };
}

/** Matched over eligible records reaches the minimum (integer comparison in basis points). */
export function matchingGate(partner: string, fact: MatchFact | undefined, minBps: number): GateResult {
  const name = `matching-rate:${partner}`;
  const threshold = minBps / 10_000;
  if (!fact) {
    return {
      name,
      passed: false,
      detail: `No settlement match yet for ${partner}.`,
      observed: null,
      threshold,
    };
  }
  if (fact.notCovered && fact.notCovered.length > 0) {
    return {
      name,
      passed: false,
      detail: `The latest match run of ${partner} (${fact.runId}) did not read ${fact.notCovered.join(', ')}: its counts are not current. A run over every file follows the last file's dedup; if none comes within minutes (check the settlement-match DLQ first), replay that file's RecordsDeduplicated to match again (finledger replay --type RecordsDeduplicated --from <its dedup time> --to <a minute later>).`,
      observed: null,
      threshold,
    };
  }
  if (fact.eligible === 0) {
    return {
      name,
      passed: true,
      detail: `Nothing of ${partner} to match (match run ${fact.runId}).`,
      observed: 1,
      threshold,
    };
  }
  const passed = fact.matched * 10_000 >= minBps * fact.eligible;
  return {
    name,
    passed,
    detail: `${fact.matched} of ${fact.eligible} records of ${partner} matched (${percent(fact.matched, fact.eligible)}), at least ${bpsPercent(minBps)} required (match run ${fact.runId}).${passed ? '' : ' Check unmatched records in the settlement-match output.'}`,
    observed: fraction(fact.matched, fact.eligible),
    threshold,
  };
}

/**
 * Gold is built in units of bounded size, but every unit reads the whole date's unique parts and DatasetReady lists
 * every part: a partition over the measured limit blocks the date with this reason instead of timing out.
 * @example goldSizeGate(120_000_000, 100_000_000).passed // false
 */
export function goldSizeGate(curatedRows: number, maxRows: number): GateResult {
  const passed = curatedRows <= maxRows;
  return {
    name: 'gold-size',
    passed,
    detail: passed
      ? `${curatedRows} curated rows, within the ${maxRows} one gold partition holds.`
      : `${curatedRows} curated rows exceed the ${maxRows} one gold partition holds (MAX_GOLD_PARTITION_ROWS in config/limits.ts: each gold unit reads the whole date, and DatasetReady lists every part). Nothing was published; escalate to the platform team, who can raise the limit only with a measured basis.`,
    observed: curatedRows,
    threshold: maxRows,
  };
}
