import type { ExceptionKind, ExceptionRow } from './exceptions.ts';
import { type DataQualityRow, type MatchingRow, pad, type ReadinessRow } from './report.ts';

/** Exceptions shown per kind and scope in the terminal; `--json` lists every one. */
const SHOWN_PER_GROUP = 5;

/** Readiness lines: one per dataset and business date, then one indented line per failed gate. */
export function formatReadiness(rows: readonly ReadinessRow[]): string[] {
  if (rows.length === 0) return ['', 'Readiness: no dataset and business date has been evaluated.'];
  const lines = ['', 'Readiness (latest verdict per dataset and business date):'];
  for (const row of rows) {
    const scope = `${pad(row.dataset, 12)} ${row.businessDate}`;
    if (row.verdict === 'READY') {
      lines.push(`${scope} READY   run ${row.runId}, ${row.rows} rows, content ${row.contentHash}`);
      for (const note of row.notes) lines.push(`  note ${note.name}: ${note.detail}`);
      continue;
    }
    lines.push(`${scope} BLOCKED run ${row.runId}, ${row.failedGates.length} failed gate(s)`);
    for (const gate of row.failedGates) lines.push(`  ${gate.name}: ${gate.detail}`);
  }
  return lines;
}

/** The data-quality section: one line per scope, then one indented line per break. */
export function formatDataQuality(rows: readonly DataQualityRow[]): string[] {
  if (rows.length === 0) return ['', 'Data quality: no reconciliation has completed.'];
  const lines = ['', 'Data quality (latest reconciliation per dataset, business date and partner):'];
  for (const row of rows) {
    const scope = `${pad(row.dataset, 12)} ${row.businessDate} ${pad(row.partner, 12)}`;
    lines.push(`${scope} ${row.balanced ? 'balanced' : `${row.breaks.length} break(s)`}`);
    for (const item of row.breaks)
      lines.push(
        `  ${item.kind}${item.currency ? ` ${item.currency}` : ''}: expected ${item.expected}, actual ${item.actual} — ${item.cause}`,
      );
  }
  return lines;
}

/** One line per partner: its latest match run's outcome counts. */
export function formatMatching(rows: readonly MatchingRow[]): string[] {
  if (rows.length === 0) return ['', 'Settlement matching: no run yet.'];
  const lines = ['', 'Settlement matching (latest run per partner, a snapshot of its window):'];
  for (const row of rows) {
    const c = row.counts;
    lines.push(
      `${pad(row.partner, 12)} as of ${row.asOf} (window ${row.window.from}..${row.window.to}): ${c.matched} of ${c.transactions} transactions matched, ${c.partiallySettled} partially settled, ${c.unmatched} unmatched (${c.aged} aged), ${c.mismatched} amount mismatch(es); ${c.orphanSettlements} orphan settlement(s) of ${c.settlements}`,
    );
  }
  return lines;
}

const KIND_ORDER: readonly ExceptionKind[] = [
  'QUARANTINED',
  'DUPLICATE',
  'CONFLICT',
  'UNMATCHED',
  'PARTIALLY_SETTLED',
  'AMOUNT_MISMATCH',
  'ORPHAN_SETTLEMENT',
];

/** Exceptions per dataset, business date and partner, counted per kind, with the first few of each. */
export function formatExceptions(rows: readonly ExceptionRow[]): string[] {
  if (rows.length === 0) return ['', 'Exceptions: none.'];
  const lines = ['', 'Exceptions (per dataset, business date and partner; `--json` lists all):'];
  const groups = new Map<string, ExceptionRow[]>();
  for (const row of rows) {
    const scope = `${pad(row.dataset, 12)} ${row.businessDate} ${pad(row.partner, 12)}`;
    const group = groups.get(scope);
    if (group) group.push(row);
    else groups.set(scope, [row]);
  }
  for (const [scope, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = KIND_ORDER.flatMap((kind) => {
      const count = group.filter((row) => row.kind === kind).length;
      return count > 0 ? [`${count} ${kind.toLowerCase().replaceAll('_', ' ')}`] : [];
    });
    lines.push(`${scope} ${counts.join(', ')}`);
    for (const kind of KIND_ORDER) {
      const ofKind = group.filter((row) => row.kind === kind);
      for (const row of ofKind.slice(0, SHOWN_PER_GROUP))
        lines.push(`  ${kind} ${row.id ?? '-'} ${row.fileId} line ${row.line}: ${row.detail}`);
      if (ofKind.length > SHOWN_PER_GROUP) lines.push(`  … ${ofKind.length - SHOWN_PER_GROUP} more ${kind}`);
    }
  }
  return lines;
}
