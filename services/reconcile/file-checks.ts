import type { ReconBreak } from '../../contracts/events/reconciliation-completed.ts';
import { amountBreak, rowBreak, stageBreak } from './breaks.ts';
import {
  DEDUP_OUTCOMES,
  type DeduplicatedFacts,
  type FileFacts,
  type RejectedFacts,
  type ValidatedFacts,
} from './reconcile-input.ts';
import { CurrencySums, currenciesOf } from './sums.ts';

/**
 * Every check on one file, in chain order; empty when the file is balanced.
 * A file that stopped early is one FILE_NOT_TERMINAL or FILE_REJECTED break plus the checks of the stages it did reach.
 */
export function checkFile(file: FileFacts): ReconBreak[] {
  const { fileId } = file.landed;
  if (file.rejected) return checkRejected(fileId, file.rejected, file.landed.supersededBy);
  if (!file.validated) {
    return [
      stageBreak({
        kind: 'FILE_NOT_TERMINAL',
        fileId,
        check: 'file is VALIDATED or REJECTED',
        expected: 'VALIDATED or REJECTED',
        actual: 'LANDED',
        cause: `File ${fileId} landed but has no validation result yet. Wait for schema-validate; if it stays open, check the schema-validate DLQ and \`finledger status\`.`,
      }),
    ];
  }
  const breaks = [...checkValidated(file, file.validated)];
  if (!file.deduplicated) {
    breaks.push(
      stageBreak({
        kind: 'FILE_NOT_TERMINAL',
        fileId,
        check: 'validated file is DEDUPLICATED',
        expected: 'DEDUPLICATED',
        actual: 'VALIDATED',
        cause: `File ${fileId} was validated but has no dedup result yet, so its rows are not curated. Wait for dedup; if it stays open, check the dedup DLQ.`,
      }),
    );
    return breaks;
  }
  return [...breaks, ...checkDeduplicated(fileId, file.validated, file.deduplicated)];
}

function checkRejected(fileId: string, rejected: RejectedFacts, supersededBy: string | null): ReconBreak[] {
  const breaks = conservation(fileId, rejected.counts);
  // A rejected file replaced by a newer delivery under the same landing key is history, not a hole.
  if (supersededBy !== null) return breaks;
  breaks.push(
    rowBreak({
      kind: 'FILE_REJECTED',
      fileId,
      check: 'every record read reaches valid or quarantined',
      expected: rejected.counts.rowsIn,
      actual: 0,
      cause: `File ${fileId} was rejected (${rejected.code}): ${rejected.reason} Its ${rejected.counts.rowsIn} records read are held back and none reached curated; follow the ${rejected.code} runbook step and re-land a corrected file.`,
    }),
  );
  return breaks;
}

function conservation(fileId: string, counts: ValidatedFacts['counts']): ReconBreak[] {
  const accounted = counts.valid + counts.quarantined;
  if (counts.rowsIn === accounted) return [];
  return [
    rowBreak({
      kind: 'CONSERVATION',
      fileId,
      check: 'rowsIn = valid + quarantined',
      expected: counts.rowsIn,
      actual: accounted,
      cause: `schema-validate read ${counts.rowsIn} records of ${fileId} but accounted for ${accounted} (${counts.valid} valid + ${counts.quarantined} quarantined). Rerun validation of the file from raw and report the counts to the pipeline owners.`,
    }),
  ];
}

function checkValidated(file: FileFacts, validated: ValidatedFacts): ReconBreak[] {
  const { fileId, lineCount } = file.landed;
  const { counts, controlTotals, validTotals } = validated;
  const breaks = conservation(fileId, counts);
  if (counts.rowsIn > lineCount) {
    breaks.push(
      rowBreak({
        kind: 'ROWS_LOST_BETWEEN_STAGES',
        fileId,
        check: 'records read ≤ lines landed',
        expected: lineCount,
        actual: counts.rowsIn,
        cause: `schema-validate read ${counts.rowsIn} records from ${fileId}, but only ${lineCount} lines landed: the validated copy is not the landed file. Check the raw object against the registered sha256 before anything else.`,
      }),
    );
  }
  const sameCount = (check: string, expected: number, actual: number, cause: string) => {
    if (expected !== actual)
      breaks.push(rowBreak({ kind: 'ROWS_LOST_BETWEEN_STAGES', fileId, check, expected, actual, cause }));
  };
  sameCount(
    'records totalled = records read',
    counts.rowsIn,
    controlTotals.computed.rowCount,
    `The computed control totals of ${fileId} cover ${controlTotals.computed.rowCount} records, the counts ${counts.rowsIn}. Rerun validation of the file from raw.`,
  );
  sameCount(
    'valid rows totalled = valid rows counted',
    counts.valid,
    validTotals.rowCount,
    `The valid totals of ${fileId} cover ${validTotals.rowCount} rows, the counts ${counts.valid}. Rerun validation of the file from raw.`,
  );
  if (controlTotals.declared) breaks.push(...declaredVsComputed(fileId, validated));
  return breaks;
}

function declaredVsComputed(fileId: string, validated: ValidatedFacts): ReconBreak[] {
  const declared = validated.controlTotals.declared;
  if (!declared) return [];
  const computed = validated.controlTotals.computed;
  const breaks: ReconBreak[] = [];
  if (declared.rowCount !== computed.rowCount) {
    breaks.push(
      rowBreak({
        kind: 'DECLARED_VS_COMPUTED_ROWS',
        fileId,
        check: 'declared records = records read',
        expected: declared.rowCount,
        actual: computed.rowCount,
        cause: `The partner declared ${declared.rowCount} records for ${fileId}; the file holds ${computed.rowCount}. The file may be truncated or altered: ask the partner to resend it complete.`,
      }),
    );
  }
  const want = CurrencySums.of(declared.sums, `${fileId} declared`);
  const got = CurrencySums.of(computed.sums, `${fileId} computed`);
  for (const currency of currenciesOf(want, got)) {
    if (want.of(currency) === got.of(currency)) continue;
    breaks.push(
      amountBreak({
        kind: 'DECLARED_VS_COMPUTED_AMOUNT',
        fileId,
        currency,
        check: 'declared sum = sum of records read',
        expected: want.of(currency),
        actual: got.of(currency),
        cause: (shown) =>
          `The partner declared ${shown.expected} for ${fileId}; its records sum to ${shown.actual} (difference ${shown.difference}). The file may be truncated or altered: ask the partner to confirm the amounts and resend it.`,
      }),
    );
  }
  return breaks;
}

function checkDeduplicated(
  fileId: string,
  validated: ValidatedFacts,
  deduplicated: DeduplicatedFacts,
): ReconBreak[] {
  const breaks: ReconBreak[] = [];
  const { valid, unique, duplicates, conflicts } = deduplicated.counts;
  if (valid !== validated.counts.valid) {
    breaks.push(
      rowBreak({
        kind: 'ROWS_LOST_BETWEEN_STAGES',
        fileId,
        check: 'rows dedup took in = valid rows',
        expected: validated.counts.valid,
        actual: valid,
        cause: `schema-validate passed ${validated.counts.valid} valid rows of ${fileId}, dedup took in ${valid}: dedup read other silver parts than validation wrote (run ${validated.runId} vs dedup run ${deduplicated.runId}). Rerun dedup for the file.`,
      }),
    );
  }
  const classified = unique + duplicates + conflicts;
  if (classified !== valid) {
    breaks.push(
      rowBreak({
        kind: 'CONSERVATION',
        fileId,
        check: 'valid = unique + duplicates + conflicts',
        expected: valid,
        actual: classified,
        cause: `dedup took in ${valid} rows of ${fileId} but classified ${classified} (${unique} unique + ${duplicates} duplicates + ${conflicts} conflicts). Rerun dedup for the file and report the counts to the pipeline owners.`,
      }),
    );
  }
  for (const outcome of DEDUP_OUTCOMES) {
    const totalled = deduplicated.totals[outcome].rowCount;
    if (totalled === deduplicated.counts[outcome]) continue;
    breaks.push(
      rowBreak({
        kind: 'CONSERVATION',
        fileId,
        check: `${outcome} rows totalled = ${outcome} rows counted`,
        expected: deduplicated.counts[outcome],
        actual: totalled,
        cause: `dedup counted ${deduplicated.counts[outcome]} ${outcome} rows of ${fileId} but its totals cover ${totalled}. Rerun dedup for the file and report the counts to the pipeline owners.`,
      }),
    );
  }
  const validSums = CurrencySums.of(validated.validTotals.sums, `${fileId} valid`);
  const outcomes = CurrencySums.of(deduplicated.totals.unique.sums, `${fileId} unique`)
    .plus(CurrencySums.of(deduplicated.totals.duplicates.sums, `${fileId} duplicates`))
    .plus(CurrencySums.of(deduplicated.totals.conflicts.sums, `${fileId} conflicts`));
  for (const currency of currenciesOf(validSums, outcomes)) {
    if (validSums.of(currency) === outcomes.of(currency)) continue;
    breaks.push(
      amountBreak({
        kind: 'VALID_VS_CURATED_AMOUNT',
        fileId,
        currency,
        check: 'valid sum = unique + duplicates + conflicts sums',
        expected: validSums.of(currency),
        actual: outcomes.of(currency),
        cause: (shown) =>
          `The valid rows of ${fileId} sum to ${shown.expected}, but unique + duplicates + conflicts sum to ${shown.actual} (difference ${shown.difference}): an amount changed or a row was lost between validation and curation. Rerun dedup for the file; if it persists, compare its silver and silver/dedup parts row by row.`,
      }),
    );
  }
  return breaks;
}
