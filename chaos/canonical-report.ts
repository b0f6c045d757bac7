import type { RerunReport } from '../cli/commands/rerun.ts';
import type { PipelineReport } from '../cli/report.ts';
import { deliveryBalance, type StateFacts } from './state-facts.ts';

/**
 * What must be identical between an uninterrupted run and a resumed one, with everything that legitimately differs
 * (ids drawn at random, timestamps, timing) left out, and every list in a fixed order.
 */
export interface CanonicalReport {
  /** The report's attention items as `KIND scope` (details carry run ids): empty when the state is complete. */
  readonly attention: readonly string[];
  readonly totals: PipelineReport['totals'];
  /** By `partner/dataset/businessDate/fileName` (the file id appended when two files share that). */
  readonly files: Record<string, CanonicalFile>;
  readonly unregistered: readonly string[];
  /** By `dataset/businessDate/partner`: the latest reconciliation's figures. */
  readonly reconciliations: Record<string, { balanced: boolean; breaks: string[] }>;
  /** By `dataset/businessDate`: the latest verdict, failing gates and the gold content hash. */
  readonly verdicts: Record<string, CanonicalVerdict>;
  /** By partner: the latest settlement-match run's figures. */
  readonly matching: Record<string, Omit<PipelineReport['matching'][number], 'partner' | 'matchRunId'>>;
  /** By `dataset/businessDate/partner`: every exception row, rendered and sorted. */
  readonly exceptions: Record<string, string[]>;
  /** By queue name: messages left (ready + delayed + in flight); DLQs included. */
  readonly queues: Record<string, number>;
  /** By landing object: uploads announced on the bus that file-landing never counted (a lost delivery). */
  readonly uncountedUploads: Record<string, number>;
  /** Present for a rerun: where its files are and what it concluded per dataset and date. */
  readonly rerun?: CanonicalRerun;
}

export interface CanonicalFile {
  readonly fileId: string;
  readonly stage: string;
  readonly counts: {
    readonly rowsIn: number | null;
    readonly valid: number | null;
    readonly quarantined: number | null;
    readonly unique: number | null;
    readonly duplicates: number | null;
    readonly conflicts: number | null;
  };
  readonly conserved: boolean | null;
  readonly rejection: string | null;
  readonly supersedes: string | null;
  readonly cardDataDetected: boolean;
  /**
   * Re-deliveries counted minus uploads file-landing recorded for the file, plus one: 0 when each upload of the
   * file was counted exactly once. (The raw count is dropped: each resume re-uploads the whole sample set.)
   */
  readonly redeliveryCounterDrift: number;
}

export type CanonicalVerdict =
  | {
      readonly verdict: 'READY';
      readonly goldContentHash: string;
      readonly rows: number;
      readonly notes: readonly string[];
    }
  | { readonly verdict: 'BLOCKED'; readonly failingGates: readonly string[] };

export interface CanonicalRerun {
  readonly members: number;
  readonly terminal: number;
  readonly movedOn: number;
  readonly done: boolean;
  readonly verdicts: Record<
    string,
    {
      readonly verdict: string;
      readonly goldContentHash: string | null;
      readonly failingGates: readonly string[];
      readonly previousReadyContentHash: string | null;
      readonly sameContent: boolean | null;
    }
  >;
}

/** What the canonical report is computed from. */
export interface CanonicalInput {
  readonly report: PipelineReport;
  readonly facts: Pick<StateFacts, 'queues' | 'notifiedUploads' | 'countedUploads'>;
  readonly rerun?: RerunReport;
}

/**
 * Ids built from per-run random parts, inside free text (gate details, break causes): landing and rerun run ids
 * (`run_` + uuid), and the reconciliation, ready and match run ids hashed over them.
 */
const VOLATILE_ID = /\b(run|recon|ready|mr)_[0-9a-f]{16,32}\b/g;

/**
 * Free text with its volatile ids replaced by `<prefix>_…`.
 * @example stableText('Reconciliation recon_3beefd210a0af137a26171ff has 6 breaks') // 'Reconciliation recon_… has 6 breaks'
 */
export const stableText = (text: string): string => text.replace(VOLATILE_ID, '$1_…');

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (items: readonly string[]) => [...items].sort(byText);

/** Rebuild an object with its keys in order, so its JSON is the same whatever order it was filled in. */
function ordered<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byText(a, b)));
}

function canonicalFiles(input: CanonicalInput): Record<string, CanonicalFile> {
  const { countedPerFile } = deliveryBalance(input.facts);
  const keyOf = (file: PipelineReport['files'][number]) =>
    `${file.partner}/${file.dataset}/${file.businessDate}/${file.fileName}`;
  const taken = new Map<string, number>();
  for (const file of input.report.files) taken.set(keyOf(file), (taken.get(keyOf(file)) ?? 0) + 1);
  const files: Record<string, CanonicalFile> = {};
  for (const file of input.report.files) {
    const key = (taken.get(keyOf(file)) ?? 0) > 1 ? `${keyOf(file)}@${file.fileId}` : keyOf(file);
    files[key] = {
      fileId: file.fileId,
      stage: file.stage,
      counts: {
        rowsIn: file.rowsIn,
        valid: file.valid,
        quarantined: file.quarantined,
        unique: file.dedup?.unique ?? null,
        duplicates: file.dedup?.duplicates ?? null,
        conflicts: file.dedup?.conflicts ?? null,
      },
      conserved: file.conserved,
      rejection: file.rejection === null ? null : stableText(file.rejection),
      supersedes: file.supersedes,
      cardDataDetected: file.cardDataDetected,
      redeliveryCounterDrift: file.redeliveries + 1 - (countedPerFile[file.fileId] ?? 0),
      // Dropped: `redeliveries` itself — each resume re-uploads the sample set, so it counts the harness's uploads.
      // Dropped: `redrives` — the watchdog re-drives a file left open past its SLA, which depends on kill timing.
      // Dropped: `fileName` (it is in the key).
    };
  }
  return ordered(files);
}

function canonicalVerdicts(report: PipelineReport): Record<string, CanonicalVerdict> {
  const verdicts: Record<string, CanonicalVerdict> = {};
  for (const row of report.readiness) {
    // Dropped: `runId` — the ready run id hashes the files' landing run ids and dedup event ids, random per run.
    verdicts[`${row.dataset}/${row.businessDate}`] =
      row.verdict === 'READY'
        ? {
            verdict: 'READY',
            goldContentHash: row.contentHash,
            rows: row.rows,
            notes: sorted(row.notes.map((note) => stableText(`${note.name}: ${note.detail}`))),
          }
        : {
            verdict: 'BLOCKED',
            failingGates: sorted(row.failedGates.map((gate) => stableText(`${gate.name}: ${gate.detail}`))),
          };
  }
  return ordered(verdicts);
}

function canonicalReconciliations(report: PipelineReport): CanonicalReport['reconciliations'] {
  const reconciliations: CanonicalReport['reconciliations'] = {};
  for (const row of report.dataQuality) {
    // Dropped: `reconRunId` — it hashes the files' landing run ids and dedup event ids, random per run.
    reconciliations[`${row.dataset}/${row.businessDate}/${row.partner}`] = {
      balanced: row.balanced,
      breaks: sorted(
        row.breaks.map((item) =>
          stableText(
            `${item.kind} ${item.fileId ?? '-'} ${item.currency ?? '-'}: expected ${item.expected}, actual ${item.actual} (${item.cause})`,
          ),
        ),
      ),
    };
  }
  return ordered(reconciliations);
}

function canonicalMatching(report: PipelineReport): CanonicalReport['matching'] {
  const matching: CanonicalReport['matching'] = {};
  // Dropped: `matchRunId` — it hashes the input files' landing run ids, random per run.
  for (const { partner, matchRunId: _volatile, ...figures } of report.matching) matching[partner] = figures;
  return ordered(matching);
}

function canonicalExceptions(report: PipelineReport): Record<string, string[]> {
  const exceptions: Record<string, string[]> = {};
  for (const row of report.exceptions) {
    const scope = `${row.dataset}/${row.businessDate}/${row.partner}`;
    const text = stableText(`${row.kind} ${row.id ?? '-'} ${row.fileId} line ${row.line}: ${row.detail}`);
    exceptions[scope] = [...(exceptions[scope] ?? []), text];
  }
  for (const scope of Object.keys(exceptions)) exceptions[scope] = sorted(exceptions[scope] ?? []);
  return ordered(exceptions);
}

function canonicalQueues(facts: CanonicalInput['facts']): Record<string, number> {
  const queues: Record<string, number> = {};
  // Dropped: per-message receive counts and ids — a redelivered message legitimately has more receives.
  for (const queue of facts.queues) queues[queue.name] = queue.ready + queue.delayed + queue.inFlight;
  return ordered(queues);
}

function canonicalRerun(rerun: RerunReport): CanonicalRerun {
  // Dropped: `summary` (run id, reopened vs already-in-run, passes) — a resumed rerun splits the same files
  // differently between its passes; `progress.runId`, and `current.runId` / `previousReady.runId` / `committedAt`
  // (random ids and instants).
  const verdicts: CanonicalRerun['verdicts'] = {};
  for (const verdict of rerun.verdicts)
    verdicts[`${verdict.dataset}/${verdict.businessDate}`] = {
      verdict: verdict.current.verdict,
      goldContentHash: verdict.current.contentHash,
      failingGates: sorted(verdict.current.failedGates.map(stableText)),
      previousReadyContentHash: verdict.previousReady?.contentHash ?? null,
      sameContent: verdict.sameContent,
    };
  return {
    members: rerun.progress.members,
    terminal: rerun.progress.terminal,
    movedOn: rerun.progress.movedOn,
    done: rerun.progress.done,
    verdicts: ordered(verdicts),
  };
}

/**
 * The canonical report of a final state: per file its outcome and counts, per dataset and date its verdict, gold
 * hash, reconciliation, matching and exceptions, and every queue's depth.
 * @example canonicalReport({ report, facts }).files['acme-bank/transactions/2026-11-19/acme-bank-transactions-20261119.csv'].counts.valid
 */
export function canonicalReport(input: CanonicalInput): CanonicalReport {
  const { report } = input;
  return {
    attention: sorted(report.attention.map((item) => stableText(`${item.kind} ${item.scope}`))),
    totals: report.totals,
    files: canonicalFiles(input),
    unregistered: sorted(
      report.unregistered.map((item) => stableText(`${item.key} ${item.code}: ${item.reason}`)),
    ),
    reconciliations: canonicalReconciliations(report),
    verdicts: canonicalVerdicts(report),
    matching: canonicalMatching(report),
    exceptions: canonicalExceptions(report),
    queues: canonicalQueues(input.facts),
    uncountedUploads: ordered(deliveryBalance(input.facts).uncounted),
    ...(input.rerun ? { rerun: canonicalRerun(input.rerun) } : {}),
  };
}

/** One path where two canonical reports differ. */
export interface Difference {
  /** e.g. `files[acme-bank/transactions/2026-11-19/x.csv].counts.valid` */
  readonly path: string;
  readonly baseline: unknown;
  readonly resumed: unknown;
}

/** Printed for a value one side does not have. */
export const ABSENT = '(absent)';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const childPath = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${key}]`;

function collect(path: string, a: unknown, b: unknown, out: Difference[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of sorted([...new Set([...Object.keys(a), ...Object.keys(b)])]))
      collect(childPath(path, key), key in a ? a[key] : ABSENT, key in b ? b[key] : ABSENT, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    // Canonical lists are sorted sets: report what one side has and the other lacks, each once per copy.
    const left = a.map((item) => JSON.stringify(item));
    const right = b.map((item) => JSON.stringify(item));
    const unmatched = [...right];
    for (const [index, item] of left.entries()) {
      const at = unmatched.indexOf(item);
      if (at >= 0) unmatched.splice(at, 1);
      else out.push({ path, baseline: a[index], resumed: ABSENT });
    }
    for (const item of unmatched) out.push({ path, baseline: ABSENT, resumed: JSON.parse(item) });
    return;
  }
  out.push({ path, baseline: a, resumed: b });
}

/**
 * Every path where a resumed run's canonical report differs from its baseline's, in path order.
 * @example diffCanonical(baseline, resumed).map(formatDifference) // ['files[acme-bank/transactions/2026-11-19/….csv].counts.valid: 400 ≠ 380']
 */
export function diffCanonical(baseline: CanonicalReport, resumed: CanonicalReport): Difference[] {
  const out: Difference[] = [];
  collect('', baseline, resumed, out);
  return out;
}

const shown = (value: unknown) =>
  value === ABSENT ? ABSENT : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);

/** `path: baseline ≠ resumed`, one line. */
export const formatDifference = (difference: Difference): string =>
  `${difference.path}: ${shown(difference.baseline)} ≠ ${shown(difference.resumed)}`;
