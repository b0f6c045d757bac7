import type { MatchingRules } from '../../config/matching-rules.ts';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { TransactionType } from '../../contracts/datasets/transactions.ts';
import { digestId } from '../../lib/ids/digest-id.ts';
import { readSilverPart } from '../../lib/parquet/silver-part-reader.ts';
import { addDays, type MatchingWindow } from './business-dates.ts';
import { MatchInputError, SettlementMatchError } from './errors.ts';
import type { DedupRunRef, MatchObjects } from './ports.ts';
import type { MatchableSettlement, MatchableTransaction } from './rows.ts';

/**
 * Every business date of a window, oldest first.
 * @example windowDates({ from: '2026-11-19', to: '2026-11-20' }) // ['2026-11-19', '2026-11-20']
 */
export function windowDates(window: MatchingWindow): string[] {
  const dates: string[] = [];
  for (let date = window.from; date <= window.to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The latest committed dedup run of each file (a file revalidated by a newer run is read from that run only),
 * in (dataset, businessDate, fileId) order: the SettlementsMatched inputs order.
 */
export function latestRunPerFile(runs: readonly DedupRunRef[]): DedupRunRef[] {
  const latest = new Map<string, DedupRunRef>();
  for (const run of runs) {
    const seen = latest.get(run.fileId);
    if (
      !seen ||
      cmp(seen.committedAt, run.committedAt) < 0 ||
      (seen.committedAt === run.committedAt && seen.runId < run.runId)
    )
      latest.set(run.fileId, run);
  }
  return [...latest.values()].sort(
    (a, b) => cmp(a.dataset, b.dataset) || cmp(a.businessDate, b.businessDate) || cmp(a.fileId, b.fileId),
  );
}

/**
 * Deterministic id of a run over these inputs: the same files read from the same dedup runs give the same id
 * (a redelivery commits nothing new); a late file changes it (a new snapshot of the window).
 * @example matchRunIdOf(inputs) // 'mr_3f1c…' (24 hex digits)
 */
export function matchRunIdOf(inputs: readonly DedupRunRef[]): string {
  const lines = inputs.map((input) => `${input.fileId}:${input.runId}`).sort(cmp);
  return digestId('mr', lines.join('\n'));
}

/** The rows of a window, as matching reads them. */
export interface WindowRows {
  readonly transactions: MatchableTransaction[];
  readonly settlements: MatchableSettlement[];
}

function contractOf(run: DedupRunRef): DatasetContract {
  const contract = findDataset(run.dataset, run.schemaV);
  if (!contract)
    throw new SettlementMatchError(
      `No dataset contract ${run.dataset} v${run.schemaV} is deployed for file ${run.fileId}. Deploy settlement-match with it, then redrive the DLQ.`,
    );
  return contract;
}

/** Read every unique part of the runs into matchable rows; lineage comes from the registry's run record. */
export async function readWindowRows(
  runs: readonly DedupRunRef[],
  objects: MatchObjects,
  asOf: string,
): Promise<WindowRows> {
  const rows: WindowRows = { transactions: [], settlements: [] };
  for (const run of runs) {
    const contract = contractOf(run);
    const column = columnIndex(contract);
    for (const key of run.unique.parts) {
      const part = await readSilverPart(
        await objects.getObject({ bucket: run.unique.bucket, key }),
        contract,
      );
      for (let index = 0; index < part.length; index += 1) {
        if (part.fileId(index) !== run.fileId)
          throw new MatchInputError(run.partner, asOf, `part ${key} holds a row of ${part.fileId(index)}`);
        const values = part.values(index);
        const get = (name: string): SilverValue => values[column(name)] ?? null;
        const lineage = {
          partner: run.partner,
          business_date: run.businessDate,
          _file_id: run.fileId,
          _row_number: BigInt(part.rowNumber(index)),
          _run_id: run.runId,
        };
        if (run.dataset === 'transactions') {
          rows.transactions.push({
            ...lineage,
            transaction_id: String(get('transaction_id')),
            type: String(get('type')) as TransactionType,
            amount_minor: BigInt(get('amount_minor') ?? 0),
            currency: String(get('currency')),
            settlement_reference: textOrNull(get('settlement_reference')),
          });
        } else {
          rows.settlements.push({
            ...lineage,
            settlement_id: String(get('settlement_id')),
            transaction_reference: String(get('transaction_reference')),
            amount_minor: BigInt(get('amount_minor') ?? 0),
            fee_minor: BigInt(get('fee_minor') ?? 0),
            currency: String(get('currency')),
            payout_batch_id: textOrNull(get('payout_batch_id')),
          });
        }
      }
    }
  }
  return rows;
}

function columnIndex(contract: DatasetContract): (name: string) => number {
  const names = contract.silverColumns.map((column) => column.name);
  return (name) => {
    const at = names.indexOf(name);
    if (at < 0)
      throw new SettlementMatchError(`${contract.name} v${contract.version} has no silver column ${name}.`);
    return at;
  };
}

const textOrNull = (value: SilverValue): string | null => (value === null ? null : String(value));

/**
 * Split transactions into those the partner settles line by line (`rules.settlingTypes`) and the rest, which
 * are counted apart and never reported unmatched (a refund has no settlement line).
 */
export function bySettlingType(
  transactions: readonly MatchableTransaction[],
  rules: Pick<MatchingRules, 'settlingTypes'>,
): { settling: MatchableTransaction[]; notSettling: MatchableTransaction[] } {
  const types = new Set<string>(rules.settlingTypes);
  return {
    settling: transactions.filter((row) => types.has(row.type)),
    notSettling: transactions.filter((row) => !types.has(row.type)),
  };
}
