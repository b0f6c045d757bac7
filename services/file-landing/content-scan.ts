import { createHash, type Hash } from 'node:crypto';
import {
  byteClass,
  CardNumberDetector,
  type CardNumberFindings,
  DIGIT,
  SEPARATOR,
  TRANSPARENT,
} from './card-number-detector.ts';
import { ObjectChangedError } from './errors.ts';

/** What one streaming pass over a file yields. Holds no content, only its fingerprint and counts. */
export type ContentSummary = {
  sha256: string;
  sizeBytes: number;
  /**
   * Physical lines after the header line (data rows plus any trailer); CR, LF and CRLF all end a line. NUL bytes
   * are skipped, so UTF-16 text counts its lines too.
   */
  lineCount: number;
  cardNumbers: CardNumberFindings;
};

const LF = 0x0a;
const CR = 0x0d;

/** Incremental scanner: feed chunks in order, then `finish()`. Chunk boundaries never change the result. */
export class ContentScanner {
  private readonly hash: Hash = createHash('sha256');
  private readonly cards = new CardNumberDetector();
  private size = 0;
  private terminators = 0;
  private previous = -1;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    const cards = this.cards;
    const classes = byteClass;
    let previous = this.previous;
    let terminators = this.terminators;
    for (let index = 0; index < chunk.length; index += 1) {
      const value = chunk[index] as number;
      const kind = classes[value] as number;
      if (kind === DIGIT) {
        cards.digit(value, terminators + 1);
      } else if (kind === TRANSPARENT) {
        continue;
      } else {
        // CRLF is one terminator: the LF after a CR was already counted by the CR.
        if (value === CR || (value === LF && previous !== CR)) terminators += 1;
        if (cards.active) cards.other(kind === SEPARATOR);
      }
      previous = value;
    }
    this.previous = previous;
    this.terminators = terminators;
  }

  finish(): ContentSummary {
    const unterminatedLastLine = this.size > 0 && this.previous !== LF && this.previous !== CR ? 1 : 0;
    const physicalLines = this.terminators + unterminatedLastLine;
    return {
      sha256: this.hash.digest('hex'),
      sizeBytes: this.size,
      lineCount: Math.max(0, physicalLines - 1),
      cardNumbers: this.cards.finish(),
    };
  }
}

/**
 * Read a stream once, in bounded memory, and summarise it. Reading more than `expectedBytes` (the size the
 * object had when it was checked) aborts the read: the object changed under us and the delivery is retried.
 * @example const summary = await scanContent(ports.readObject(ref), { expectedBytes: head.sizeBytes })
 */
export async function scanContent(
  chunks: AsyncIterable<Uint8Array>,
  limits: { expectedBytes: number },
): Promise<ContentSummary> {
  const scanner = new ContentScanner();
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.length;
    if (read > limits.expectedBytes) throw new ObjectChangedError(limits.expectedBytes, read);
    scanner.update(chunk);
  }
  if (read !== limits.expectedBytes) throw new ObjectChangedError(limits.expectedBytes, read);
  return scanner.finish();
}
