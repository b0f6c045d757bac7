import { createHash } from 'node:crypto';
import type { RawFile } from './fake-ports.ts';

export const TRANSACTIONS_HEADER =
  'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number';

export interface GeneratedFileOptions {
  readonly rows: number;
  /** Bytes per yielded chunk (S3 streams arrive in ~16-64 KiB pieces). */
  readonly chunkBytes?: number;
  readonly trailer?: boolean;
  /** Every n-th row carries a Luhn-valid card number in the card column. */
  readonly cardEvery?: number;
  /** Called with the number of data rows in each chunk, just before it is yielded. */
  readonly onChunk?: (rows: number) => void;
}

/** Row `index` of a generated transactions file: ~150 bytes, valid, EUR, deterministic. */
export function generatedRow(index: number, cardEvery = 10): string {
  const cents = (index * 7919) % 1_000_000;
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const id = String(index).padStart(10, '0');
  const card = index % cardEvery === 0 ? '4111111111111111' : '';
  return `tx-${id},payment,${amount},EUR,2024-03-01T10:00:00.123+01:00,merchant-${String(index % 1000).padStart(5, '0')},SETTLEMENT-REFERENCE-2024-03-01-BATCH-0042-${id}-ABCDEFGHIJKLMNOP,${card}`;
}

function amountMinorOf(index: number): bigint {
  return BigInt((index * 7919) % 1_000_000);
}

/**
 * A large transactions file generated on the fly, chunk by chunk, never held whole. Size and sha256 come from a
 * first pass, as landing would have registered them.
 */
export function generatedTransactionsFile(options: GeneratedFileOptions): RawFile {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const encoder = new TextEncoder();
  let total = 0n;
  for (let index = 0; index < options.rows; index += 1) total += amountMinorOf(index);
  const trailerLine = `TRAILER,${options.rows},EUR=${total / 100n}.${String(total % 100n).padStart(2, '0')}`;

  function* chunks(): Generator<{ bytes: Uint8Array; rows: number }> {
    let text = `${TRANSACTIONS_HEADER}\n`;
    let rows = 0;
    for (let index = 0; index < options.rows; index += 1) {
      text += `${generatedRow(index, options.cardEvery)}\n`;
      rows += 1;
      if (text.length >= chunkBytes) {
        yield { bytes: encoder.encode(text), rows };
        text = '';
        rows = 0;
      }
    }
    if (options.trailer !== false) text += `${trailerLine}\n`;
    if (text.length > 0) yield { bytes: encoder.encode(text), rows };
  }

  const hash = createHash('sha256');
  let sizeBytes = 0;
  for (const chunk of chunks()) {
    hash.update(chunk.bytes);
    sizeBytes += chunk.bytes.byteLength;
  }
  return {
    key: `raw/acme-bank/transactions/2024-03-01/generated-${options.rows}.csv`,
    sizeBytes,
    sha256: hash.digest('hex'),
    async *body() {
      for (const chunk of chunks()) {
        options.onChunk?.(chunk.rows);
        yield chunk.bytes;
      }
    },
  };
}
