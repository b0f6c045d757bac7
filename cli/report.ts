import type { DatasetBlockedPayload } from '../contracts/events/dataset-blocked.ts';
import type { DatasetReadyPayload } from '../contracts/events/dataset-ready.ts';
import type { ReconciliationCompletedPayload } from '../contracts/events/reconciliation-completed.ts';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import { ATTENTION_EXIT_CODE, type AttentionItem, formatAttention } from './attention.ts';
import type { ExceptionRow } from './exceptions.ts';
import { formatDataQuality, formatExceptions, formatMatching, formatReadiness } from './report-sections.ts';

/** The payload of one ReconciliationCompleted (the latest of its dataset, business date and partner). */
export type Reconciliation = ReconciliationCompletedPayload;

/** One line of the data-quality section: a scope balanced, or its breaks. */
export interface DataQualityRow {
  dataset: string;
  businessDate: string;
  partner: string;
  reconRunId: string;
  balanced: boolean;
  breaks: {
    kind: string;
    fileId: string | null;
    currency: string | null;
    expected: string;
    actual: string;
    cause: string;
  }[];
}

/** The latest DatasetReady or DatasetBlocked of a dataset and business date. */
export type Verdict =
  | { readonly kind: 'READY'; readonly data: DatasetReadyPayload }
  | { readonly kind: 'BLOCKED'; readonly data: DatasetBlockedPayload };

/** One readiness line of the data-quality section: READY with its publication, or BLOCKED with its failed gates. */
export type ReadinessRow =
  | {
      dataset: string;
      businessDate: string;
      verdict: 'READY';
      runId: string;
      contentHash: string;
      rows: number;
      /** Gates that passed with something to say (a late file accepted by policy). */
      notes: { name: string; detail: string }[];
    }
  | {
      dataset: string;
      businessDate: string;
      verdict: 'BLOCKED';
      runId: string;
      failedGates: { name: string; detail: string }[];
    };

/** One line of the per-file report. */
export interface FileReportRow {
  fileId: string;
  partner: string;
  dataset: string;
  businessDate: string;
  fileName: string;
  stage: string;
  rowsIn: number | null;
  valid: number | null;
  quarantined: number | null;
  /** rowsIn = valid + quarantined; null while the file is open. */
  conserved: boolean | null;
  rejection: string | null;
  redeliveries: number;
  redrives: number;
  supersedes: string | null;
  cardDataDetected: boolean;
  /** Outcome of the current run's dedup; null until dedup ran (or for a rejected file). */
  dedup: DedupCounts | null;
}

export interface DedupCounts {
  unique: number;
  duplicates: number;
  conflicts: number;
}

/** The latest settlement-match run of a partner (a full snapshot of its window). */
export interface MatchingRow {
  partner: string;
  asOf: string;
  window: { from: string; to: string };
  matchRunId: string;
  counts: {
    transactions: number;
    matched: number;
    partiallySettled: number;
    unmatched: number;
    aged: number;
    mismatched: number;
    settlements: number;
    orphanSettlements: number;
  };
}

/** What the report adds from the services' outputs besides the registry. */
export interface ReportOutputs {
  dedup?: ReadonlyMap<string, DedupCounts>;
  matching?: readonly MatchingRow[];
  exceptions?: readonly ExceptionRow[];
  attention?: readonly AttentionItem[];
}

export interface PipelineReport {
  /** Empty when the report is complete; else what is parked, open or not yet read by a current run (first). */
  attention: AttentionItem[];
  files: FileReportRow[];
  totals: {
    files: number;
    validated: number;
    rejected: number;
    open: number;
    rowsIn: number;
    valid: number;
    quarantined: number;
    /** Rows read from rejected files: counted in rowsIn, published nowhere (the file is rejected whole). */
    heldInRejectedFiles: number;
  };
  /** Objects refused before registration (unroutable keys), from FileRejected events. */
  unregistered: { key: string; code: string; reason: string }[];
  /** Per dataset, business date and partner, the reconciliation of the current files (else the latest). */
  dataQuality: DataQualityRow[];
  /** Per dataset and business date, the latest readiness verdict (DatasetReady or DatasetBlocked). */
  readiness: ReadinessRow[];
  /** Per partner, the match run of its latest date that read the current files (else the latest). */
  matching: MatchingRow[];
  /** Every quarantined row, duplicate, conflict and open or mismatched match item of the current runs. */
  exceptions: ExceptionRow[];
}

/** Build the report from the file registry (pure). */
export function buildReport(
  files: readonly FileRecord[],
  unregistered: PipelineReport['unregistered'] = [],
  reconciliations: readonly Reconciliation[] = [],
  verdicts: readonly Verdict[] = [],
  outputs: ReportOutputs = {},
): PipelineReport {
  const rows = [...files]
    .sort((a, b) =>
      `${a.businessDate}${a.partner}${a.dataset}${a.fileName}`.localeCompare(
        `${b.businessDate}${b.partner}${b.dataset}${b.fileName}`,
      ),
    )
    .map(
      (file): FileReportRow => ({
        fileId: file.fileId,
        partner: file.partner,
        dataset: file.dataset,
        businessDate: file.businessDate,
        fileName: file.fileName,
        stage: file.stage,
        rowsIn: file.counts?.rowsIn ?? null,
        valid: file.counts?.valid ?? null,
        quarantined: file.counts?.quarantined ?? null,
        conserved: file.counts ? file.counts.rowsIn === file.counts.valid + file.counts.quarantined : null,
        rejection: file.rejection ? `${file.rejection.code}: ${file.rejection.reason}` : null,
        redeliveries: file.redeliveries ?? 0,
        redrives: file.redrives ?? 0,
        supersedes: file.supersedesFileId,
        cardDataDetected: file.cardDataDetected,
        dedup: outputs.dedup?.get(file.fileId) ?? null,
      }),
    );
  const sum = (pick: (row: FileReportRow) => number | null) =>
    rows.reduce((total, row) => total + (pick(row) ?? 0), 0);
  return {
    attention: [...(outputs.attention ?? [])],
    files: rows,
    totals: {
      files: rows.length,
      validated: rows.filter((row) => row.stage === 'VALIDATED').length,
      rejected: rows.filter((row) => row.stage === 'REJECTED').length,
      open: rows.filter((row) => row.stage === 'LANDED').length,
      rowsIn: sum((row) => row.rowsIn),
      valid: sum((row) => row.valid),
      quarantined: sum((row) => row.quarantined),
      heldInRejectedFiles: sum((row) => (row.stage === 'REJECTED' ? row.rowsIn : 0)),
    },
    unregistered,
    dataQuality: dataQualityOf(reconciliations),
    readiness: verdicts
      .map(readinessOf)
      .sort((a, b) => `${a.dataset}#${a.businessDate}`.localeCompare(`${b.dataset}#${b.businessDate}`)),
    matching: [...(outputs.matching ?? [])].sort((a, b) => a.partner.localeCompare(b.partner)),
    exceptions: [...(outputs.exceptions ?? [])],
  };
}

function readinessOf({ kind, data }: Verdict): ReadinessRow {
  const scope = { dataset: data.dataset, businessDate: data.businessDate, runId: data.runId };
  return kind === 'READY'
    ? {
        ...scope,
        verdict: 'READY',
        contentHash: data.contentHash,
        rows: data.rowCount,
        notes: data.gates
          .filter(
            (gate) => gate.name.startsWith('file-on-time:') && lateAgainst(gate.observed, gate.threshold),
          )
          .map((gate) => ({ name: gate.name, detail: gate.detail })),
      }
    : {
        ...scope,
        verdict: 'BLOCKED',
        failedGates: data.failedGates.map((gate) => ({ name: gate.name, detail: gate.detail })),
      };
}

/** An on-time gate's observed landing instant after its cut-off instant. */
function lateAgainst(observed: unknown, threshold: unknown): boolean {
  return (
    typeof observed === 'string' &&
    typeof threshold === 'string' &&
    Date.parse(observed) > Date.parse(threshold)
  );
}

function dataQualityOf(reconciliations: readonly Reconciliation[]): DataQualityRow[] {
  return reconciliations
    .map(
      (recon): DataQualityRow => ({
        dataset: recon.dataset,
        businessDate: recon.businessDate,
        partner: recon.partner,
        reconRunId: recon.reconRunId,
        balanced: recon.balanced,
        breaks: recon.breaks.map((item) => ({
          kind: item.kind,
          fileId: item.fileId,
          currency: item.currency,
          expected: item.expected,
          actual: item.actual,
          cause: item.cause,
        })),
      }),
    )
    .sort((a, b) =>
      `${a.dataset}#${a.businessDate}#${a.partner}`.localeCompare(
        `${b.dataset}#${b.businessDate}#${b.partner}`,
      ),
    );
}

export const pad = (value: string, width: number) =>
  value.length >= width ? value : value + ' '.repeat(width - value.length);

/** Human-readable table for the terminal. */
export function formatReport(report: PipelineReport): string {
  const header = [
    'date',
    'partner',
    'dataset',
    'file',
    'stage',
    'in',
    'valid',
    'quar',
    'ok',
    'uniq',
    'dup',
    'confl',
    'notes',
  ];
  const widths = [10, 12, 12, 36, 9, 6, 6, 5, 3, 6, 4, 5, 0];
  const lines = [
    ...formatAttention(report.attention),
    header.map((cell, i) => pad(cell, widths[i]!)).join(' '),
  ];
  for (const row of report.files) {
    const notes = [
      row.rejection,
      row.redeliveries > 0 ? `re-delivered ${row.redeliveries}x (not reprocessed)` : null,
      row.redrives > 0 ? `re-driven ${row.redrives}x by the watchdog` : null,
      row.supersedes ? `supersedes ${row.supersedes}` : null,
      row.cardDataDetected ? 'card data: raw kept in restricted/' : null,
    ].filter(Boolean);
    const cells = [
      row.businessDate,
      row.partner,
      row.dataset,
      row.fileName,
      row.stage,
      String(row.rowsIn ?? '-'),
      String(row.valid ?? '-'),
      String(row.quarantined ?? '-'),
      row.conserved === null ? '-' : row.conserved ? 'yes' : 'NO',
      String(row.dedup?.unique ?? '-'),
      String(row.dedup?.duplicates ?? '-'),
      String(row.dedup?.conflicts ?? '-'),
      notes.join('; '),
    ];
    lines.push(cells.map((cell, i) => pad(cell, widths[i]!)).join(' '));
  }
  for (const refused of report.unregistered)
    lines.push(`refused before registration: ${refused.key} — ${refused.code}: ${refused.reason}`);
  const t = report.totals;
  lines.push(
    '',
    `${t.files} files: ${t.validated} validated, ${t.rejected} rejected, ${t.open} open.`,
    `Rows: ${t.rowsIn} in = ${t.valid} valid + ${t.quarantined} quarantined${t.rowsIn === t.valid + t.quarantined ? '' : ' (DOES NOT ADD UP)'}; ${t.heldInRejectedFiles} of them are in rejected files and were published nowhere.`,
    ...formatDataQuality(report.dataQuality),
    ...formatMatching(report.matching),
    ...formatExceptions(report.exceptions),
    ...formatReadiness(report.readiness),
  );
  return lines.join('\n');
}

/** 1 when a file's rows do not add up, 3 when something needs attention (README: exit codes), else 0. */
export function reportExitCode(report: PipelineReport): number {
  if (report.files.some((file) => file.conserved === false)) return 1;
  return report.attention.length > 0 ? ATTENTION_EXIT_CODE : 0;
}
