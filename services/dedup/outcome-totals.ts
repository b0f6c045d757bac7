import type { DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { DedupOutcome, DedupTotals } from '../../contracts/events/records-deduplicated.ts';
import { TotalsAccumulator } from '../../lib/totals/control-totals.ts';
import { SilverMismatchError } from './errors.ts';

/** A row's control amount: the contract's silver amount column (bigint minor units) and its currency. */
export interface ControlAmount {
  readonly currency: string;
  readonly minor: bigint;
}

/**
 * Read a row's control amount from the silver columns the contract declares (`control.silverAmountColumn` and
 * `control.silverCurrencyColumn`): the amount schema-validate summed for the file's control totals.
 * @example const amountOf = controlAmountReader(TransactionsV1, fileId); amountOf(values) // { currency: 'EUR', minor: 1050n }
 */
export function controlAmountReader(
  contract: DatasetContract,
  fileId: string,
): (values: readonly SilverValue[], rowNumber: number) => ControlAmount {
  const indexOf = (name: string) => contract.silverColumns.findIndex((column) => column.name === name);
  const amountIndex = indexOf(contract.control.silverAmountColumn);
  const currencyIndex = indexOf(contract.control.silverCurrencyColumn);
  // defineDataset checks both columns exist; reaching this is a bug in a contract built around it.
  if (amountIndex === -1 || currencyIndex === -1)
    throw new Error(`Contract ${contract.name} v${contract.version} names control columns it does not have.`);
  return (values, rowNumber) => {
    const minor = values[amountIndex];
    const currency = values[currencyIndex];
    if (typeof minor !== 'bigint' || typeof currency !== 'string')
      throw new SilverMismatchError(
        fileId,
        `row ${rowNumber} holds no INT64 ${contract.control.silverAmountColumn} with a ${contract.control.silverCurrencyColumn}`,
      );
    return { currency, minor };
  };
}

/** Control totals of one file's three outcomes, in bigint until they are written out. */
export class OutcomeTotals {
  private readonly totals: Record<DedupOutcome, TotalsAccumulator> = {
    unique: new TotalsAccumulator(),
    duplicates: new TotalsAccumulator(),
    conflicts: new TotalsAccumulator(),
  };

  /** Count one row and its amount under the outcome it ended in. */
  add(outcome: DedupOutcome, amount: ControlAmount): void {
    this.totals[outcome].countRow();
    this.totals[outcome].add(amount.currency, amount.minor);
  }

  /** Event shape: per outcome, rows and sums as decimal strings of minor units, currencies sorted. */
  toJSON(): DedupTotals {
    return {
      unique: this.totals.unique.toJSON(),
      duplicates: this.totals.duplicates.toJSON(),
      conflicts: this.totals.conflicts.toJSON(),
    };
  }
}
