import { type DatasetName, findPartner } from '../../config/partners.ts';
import { csvLine, trailerLine } from './csv.ts';
import { encodeFor } from './encoding.ts';
import { addTo, type MinorSums, trailerSums } from './money.ts';
import { createRandom, seedFor } from './prng.ts';
import { profileOf } from './profiles.ts';
import {
  parseMinor,
  SETTLEMENT_COLUMNS,
  type SettlementRow,
  settlementRow,
  TRANSACTION_COLUMNS,
  type TransactionRow,
  transactionRow,
} from './rows.ts';

export interface LargeFileOptions {
  seed?: number;
  partner?: string;
  dataset?: DatasetName;
  businessDate?: string;
  /** Defaults to the partner's rule: always when required, never when optional. */
  trailer?: boolean;
  /** Approximate size of each yielded chunk. */
  chunkBytes?: number;
}

/**
 * A valid partner file of `rows` data rows, streamed in chunks (for benches): memory stays at one chunk,
 * whatever the row count. Deterministic for the same options.
 * @example for await (const chunk of generateLargeFile(1_000_000)) hash.update(chunk)
 */
export async function* generateLargeFile(
  rows: number,
  options: LargeFileOptions = {},
): AsyncIterable<Uint8Array> {
  const partnerId = options.partner ?? 'acme-bank';
  const partner = findPartner(partnerId);
  if (!partner) throw new Error(`Unknown partner ${partnerId}`);
  const dataset = options.dataset ?? 'transactions';
  const date = options.businessDate ?? '2026-11-19';
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const withTrailer = options.trailer ?? partner.datasets[dataset]?.trailer === 'required';
  const lineEnding = profileOf(partnerId).lineEnding;
  const random = createRandom(seedFor(options.seed ?? 1, `large/${partnerId}/${dataset}/${date}`));
  const columns = dataset === 'transactions' ? TRANSACTION_COLUMNS : SETTLEMENT_COLUMNS;
  const sums: MinorSums = new Map();

  let buffer = `${csvLine(columns)}${lineEnding}`;
  for (let index = 0; index < rows; index += 1) {
    const row: Record<string, string> =
      dataset === 'transactions'
        ? (transactionRow(random, partner, date) as TransactionRow)
        : (settlementRow(random, partner, date, undefined) as SettlementRow);
    addTo(sums, row.currency as string, parseMinor(row.amount as string, row.currency as string));
    buffer += `${csvLine(columns.map((column) => row[column] ?? ''))}${lineEnding}`;
    if (buffer.length >= chunkBytes) {
      yield encodeFor(partner.encoding, buffer);
      buffer = '';
    }
  }
  if (withTrailer) buffer += `${trailerLine(rows, trailerSums(sums))}${lineEnding}`;
  if (buffer.length > 0) yield encodeFor(partner.encoding, buffer);
}
