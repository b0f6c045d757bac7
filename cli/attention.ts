import type { FileRecord } from '../lib/file-registry/file-record.ts';

/**
 * What makes a day's report incomplete, found before anything else is printed: work parked in a DLQ, work still
 * queued, files not closed, and facts that no current run has read. Any of these means a figure further down may
 * be missing a fact, so the report says so first and `npm start` / `finledger status` exit 3.
 */
export type AttentionKind =
  | 'DLQ_MESSAGES'
  | 'QUEUED_WORK'
  | 'FILE_OPEN'
  | 'DEDUP_MISSING'
  | 'RECONCILIATION_STALE'
  | 'MATCH_STALE'
  | 'VERDICT_MISSING'
  | 'VERDICT_STALE';

export interface AttentionItem {
  readonly kind: AttentionKind;
  /** What it concerns: a queue, a file, or dataset/date[/partner]. */
  readonly scope: string;
  readonly detail: string;
  /** The command or step that resolves it. */
  readonly next: string;
}

/** Exit status of `npm start` and `finledger status` when the report has attention items (README: exit codes). */
export const ATTENTION_EXIT_CODE = 3;

/** Messages in one queue, as GetQueueAttributes counts them. */
export interface QueueCount {
  readonly service: string;
  readonly queue: 'queue' | 'dlq' | 'busDlq';
  readonly messages: number;
}

/** A dataset and business date's verdict against the verdict its current facts lead to. */
export interface VerdictState {
  readonly dataset: string;
  readonly businessDate: string;
  /** The ready run id of the current facts (ready-publisher's `dayFacts`). */
  readonly currentRunId: string;
  /** Run ids that have a committed verdict. */
  readonly verdictRunIds: readonly string[];
}

export interface AttentionInputs {
  readonly queues: readonly QueueCount[];
  readonly files: readonly FileRecord[];
  /** File ids with a dedup result for their current run. */
  readonly deduplicated: ReadonlySet<string>;
  readonly staleReconciliations: readonly { scope: string; missed: readonly string[] }[];
  readonly staleMatches: readonly { partner: string; asOf: string; missed: readonly string[] }[];
  readonly verdicts: readonly VerdictState[];
}

const STATE = '[--state-dir DIR]';

/** Every attention item, most urgent first (pure). */
export function attentionItems(inputs: AttentionInputs): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const count of inputs.queues.filter((entry) => entry.messages > 0)) {
    const scope = `${count.service} ${count.queue === 'queue' ? 'queue' : count.queue === 'dlq' ? 'DLQ' : 'bus rule DLQ'}`;
    items.push(
      count.queue === 'queue'
        ? {
            kind: 'QUEUED_WORK',
            scope,
            detail: `${count.messages} message(s) not yet processed`,
            next: `npm start -- ${STATE} resumes them (the runtime processes its queues on start)`,
          }
        : {
            kind: 'DLQ_MESSAGES',
            scope,
            detail: `${count.messages} message(s) failed every retry and wait in the DLQ; their work is NOT in the figures below`,
            next: `npm run finledger -- dlq show ${count.service} ${STATE} to read why, fix the cause, then npm run finledger -- dlq redrive ${count.service} ${STATE}`,
          },
    );
  }
  for (const file of inputs.files.filter((entry) => entry.stage === 'LANDED'))
    items.push({
      kind: 'FILE_OPEN',
      scope: `${file.fileId} (${file.partner} ${file.dataset} ${file.businessDate})`,
      detail: `landed ${file.landedAt}, not validated or rejected yet`,
      next: `npm start -- ${STATE} resumes it; if it stays open, npm run finledger -- dlq list ${STATE}`,
    });
  for (const file of inputs.files) {
    // Every dataset is deduplicated after validation (services/dedup).
    if (file.stage !== 'VALIDATED') continue;
    if (inputs.deduplicated.has(file.fileId)) continue;
    items.push({
      kind: 'DEDUP_MISSING',
      scope: `${file.fileId} (${file.partner} ${file.dataset} ${file.businessDate})`,
      detail: `validated (run ${file.runId}) but no dedup result for that run`,
      next: `npm start -- ${STATE} resumes it; if it persists, npm run finledger -- dlq show dedup ${STATE}`,
    });
  }
  for (const stale of inputs.staleReconciliations)
    items.push({
      kind: 'RECONCILIATION_STALE',
      scope: stale.scope,
      detail: `no reconciliation read the current files (missed: ${stale.missed.join(', ')})`,
      next: `npm start -- ${STATE} resumes it; if it persists, npm run finledger -- dlq show reconcile ${STATE}`,
    });
  for (const stale of inputs.staleMatches)
    items.push({
      kind: 'MATCH_STALE',
      scope: `${stale.partner} as of ${stale.asOf}`,
      detail: `no settlement-match run read the current files (missed: ${stale.missed.join(', ')})`,
      next: `npm start -- ${STATE} resumes it; if it persists, npm run finledger -- dlq show settlement-match ${STATE}`,
    });
  for (const verdict of inputs.verdicts) {
    if (verdict.verdictRunIds.includes(verdict.currentRunId)) continue;
    const scope = `${verdict.dataset} ${verdict.businessDate}`;
    items.push(
      verdict.verdictRunIds.length === 0
        ? {
            kind: 'VERDICT_MISSING',
            scope,
            detail: 'no readiness verdict yet',
            next: `npm start -- ${STATE} resumes it; if it persists, npm run finledger -- dlq show ready-publisher ${STATE}`,
          }
        : {
            kind: 'VERDICT_STALE',
            scope,
            detail: `the latest verdict was on earlier facts; none yet on the current ones (run ${verdict.currentRunId})`,
            next: `npm start -- ${STATE} resumes it; if it persists, npm run finledger -- dlq show ready-publisher ${STATE}`,
          },
    );
  }
  return items;
}

/** The lines the report opens with: a clear "complete" or every item with its next step. */
export function formatAttention(items: readonly AttentionItem[]): string[] {
  if (items.length === 0)
    return [
      'Complete: no DLQ message, no queued work, every file closed, every figure on current facts.',
      '',
    ];
  const lines = [
    `INCOMPLETE: ${items.length} item(s) need attention before these figures can be trusted (exit ${ATTENTION_EXIT_CODE}):`,
  ];
  for (const item of items)
    lines.push(`  ${item.kind} ${item.scope}: ${item.detail}`, `    next: ${item.next}`);
  lines.push('');
  return lines;
}
