import type { z } from 'zod';
import type { StageAmountsSchema, StageRowsSchema } from '../../contracts/events/reconciliation-completed.ts';
import type { FileFacts } from './reconcile-input.ts';
import { CurrencySums, currenciesOf } from './sums.ts';

export type StageRows = z.infer<typeof StageRowsSchema>;
export type StageAmounts = z.infer<typeof StageAmountsSchema>;

/** Rows per stage and money per currency per stage, summed over a partner's files of one date. */
export interface StageLedger {
  readonly rows: StageRows;
  readonly amounts: Record<string, StageAmounts>;
}

interface MoneyByStage {
  declared: CurrencySums | null;
  read: CurrencySums;
  valid: CurrencySums;
  unique: CurrencySums;
  duplicates: CurrencySums;
  conflicts: CurrencySums;
}

/**
 * Sum every file's facts into one ledger. A file counts at each stage it reached: validated files make up
 * read/valid/quarantined, rejected files the rows held back, deduplicated files unique/duplicates/conflicts.
 * Declared figures cover only the files that declared them (`rows.files.declared` says how many).
 */
export function buildLedger(files: readonly FileFacts[]): StageLedger {
  const rows: StageRows = {
    files: { landed: files.length, declared: 0, validated: 0, rejected: 0, deduplicated: 0 },
    landedLines: 0,
    landedBytes: 0,
    declared: null,
    read: 0,
    valid: 0,
    quarantined: 0,
    heldBack: 0,
    unique: 0,
    duplicates: 0,
    conflicts: 0,
  };
  const money: MoneyByStage = {
    declared: null,
    read: new CurrencySums(),
    valid: new CurrencySums(),
    unique: new CurrencySums(),
    duplicates: new CurrencySums(),
    conflicts: new CurrencySums(),
  };
  for (const file of files) addFile(rows, money, file);
  return { rows, amounts: amountsOf(money) };
}

function addFile(rows: StageRows, money: MoneyByStage, file: FileFacts): void {
  const { fileId } = file.landed;
  rows.landedLines += file.landed.lineCount;
  rows.landedBytes += file.landed.sizeBytes;
  if (file.rejected) {
    rows.files.rejected += 1;
    rows.heldBack += file.rejected.counts.rowsIn;
  }
  const validated = file.validated;
  if (validated) {
    rows.files.validated += 1;
    rows.read += validated.counts.rowsIn;
    rows.valid += validated.counts.valid;
    rows.quarantined += validated.counts.quarantined;
    money.read.addAll(validated.controlTotals.computed.sums, `${fileId} computed`);
    money.valid.addAll(validated.validTotals.sums, `${fileId} valid`);
    const declared = validated.controlTotals.declared;
    if (declared) {
      rows.files.declared += 1;
      rows.declared = (rows.declared ?? 0) + declared.rowCount;
      money.declared = (money.declared ?? new CurrencySums()).addAll(declared.sums, `${fileId} declared`);
    }
  }
  const deduplicated = file.deduplicated;
  if (deduplicated) {
    rows.files.deduplicated += 1;
    rows.unique += deduplicated.counts.unique;
    rows.duplicates += deduplicated.counts.duplicates;
    rows.conflicts += deduplicated.counts.conflicts;
    money.unique.addAll(deduplicated.totals.unique.sums, `${fileId} unique`);
    money.duplicates.addAll(deduplicated.totals.duplicates.sums, `${fileId} duplicates`);
    money.conflicts.addAll(deduplicated.totals.conflicts.sums, `${fileId} conflicts`);
  }
}

function amountsOf(money: MoneyByStage): Record<string, StageAmounts> {
  const { declared, read, valid, unique, duplicates, conflicts } = money;
  const all = [read, valid, unique, duplicates, conflicts, ...(declared ? [declared] : [])];
  const amounts: Record<string, StageAmounts> = {};
  for (const currency of currenciesOf(...all)) {
    amounts[currency] = {
      declared: declared ? declared.of(currency).toString() : null,
      read: read.of(currency).toString(),
      valid: valid.of(currency).toString(),
      quarantined: (read.of(currency) - valid.of(currency)).toString(),
      unique: unique.of(currency).toString(),
      duplicates: duplicates.of(currency).toString(),
      conflicts: conflicts.of(currency).toString(),
    };
  }
  return amounts;
}
