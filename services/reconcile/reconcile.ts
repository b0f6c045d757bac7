import type {
  ReconBreak,
  ReconciliationCompletedPayload,
} from '../../contracts/events/reconciliation-completed.ts';
import { stageBreak } from './breaks.ts';
import { ReconcileInputError } from './errors.ts';
import { checkFile } from './file-checks.ts';
import { type FileFacts, type ReconcileInput, statusOf } from './reconcile-input.ts';
import { buildLedger } from './stage-ledger.ts';

export type { FileFacts, ReconcileInput };

/**
 * Reconcile one partner's files for a dataset and business date: control totals stage by stage and row
 * conservation at every stage, with a break for each disagreement. Pure: the caller gathers the facts.
 *
 * Primary course:
 * 1. Check the facts belong together (same partner, dataset and date; one entry per file; a file is not both
 *    validated and rejected): a contradiction is a wiring bug and throws, it is never reported as a break.
 * 2. Order files by id, so the result never depends on the order facts were read in.
 * 3. Check each file in chain order (file-checks.ts): terminal stage, rowsIn = valid + quarantined, declared =
 *    computed (rows and each currency), valid rows handed on = rows dedup took in, valid = unique + duplicates +
 *    conflicts, valid sum = unique + duplicates + conflicts sums per currency.
 * 4. Sum the ledger of stages (rows, and money per currency) over every file.
 * 5. Balanced exactly when there is no break; no files at all is a NO_FILES break, never a silent balance.
 */
export function reconcile(input: ReconcileInput): ReconciliationCompletedPayload {
  assertConsistent(input);
  const files = [...input.files].sort((a, b) => compareText(a.landed.fileId, b.landed.fileId));
  const breaks: ReconBreak[] = files.length === 0 ? [noFiles(input)] : files.flatMap(checkFile);
  const ledger = buildLedger(files);
  return {
    partner: input.partner,
    dataset: input.dataset,
    businessDate: input.businessDate,
    reconRunId: input.reconRunId,
    balanced: breaks.length === 0,
    totals: { rows: ledger.rows, amounts: ledger.amounts },
    breaks,
    inputs: {
      files: files.map((file) => ({
        fileId: file.landed.fileId,
        status: statusOf(file),
        landingRunId: file.landed.landingRunId,
        validationRunId: file.validated?.runId ?? file.rejected?.runId ?? null,
        dedupRunId: file.deduplicated?.runId ?? null,
        supersededBy: file.landed.supersededBy,
      })),
    },
  };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function noFiles(input: ReconcileInput): ReconBreak {
  return stageBreak({
    kind: 'NO_FILES',
    fileId: null,
    check: 'at least one file landed',
    expected: 'at least 1 file',
    actual: '0 files',
    cause: `No ${input.dataset} file of ${input.partner} has landed for ${input.businessDate}. Ask the partner whether the delivery was sent.`,
  });
}

function assertConsistent(input: ReconcileInput): void {
  const seen = new Set<string>();
  for (const file of input.files) {
    const { fileId, partner, dataset, businessDate } = file.landed;
    if (seen.has(fileId)) throw new ReconcileInputError(fileId, 'the file is listed twice');
    seen.add(fileId);
    if (partner !== input.partner || dataset !== input.dataset || businessDate !== input.businessDate) {
      throw new ReconcileInputError(
        fileId,
        `the file is ${partner}/${dataset}/${businessDate}, not ${input.partner}/${input.dataset}/${input.businessDate}`,
      );
    }
    if (file.validated && file.rejected) {
      throw new ReconcileInputError(fileId, 'the file is both validated and rejected');
    }
    if (file.deduplicated && !file.validated) {
      throw new ReconcileInputError(fileId, 'the file has a dedup result but no validation result');
    }
  }
}
