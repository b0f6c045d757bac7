import type { CardSpan } from '../card-numbers.ts';

/** Shortest hex token treated as a machine digest: md5 and S3 ETags (32), sha1 (40), sha256 (64). */
const MIN_HEX_TOKEN = 32;
const UUID_LENGTH = 36;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isHex = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);

/**
 * Whether a card-number candidate sits inside a machine token: a run of at least 32 hex characters (sha256 hex,
 * md5, S3 ETags, Powertools' hashed idempotency keys) or a UUID. Such tokens hold a Luhn-valid 13-19 digit run by
 * chance (about 1 % of sha256 hex strings, since a PAN glued to letters counts), and they are derived values,
 * never a card number someone stored. This is the scanner's only false-positive guard; anything else that
 * matches `cardNumberSpans` is reported. A PAN hidden inside a 32+ character hex-looking string is missed: the
 * accepted price of not failing one scan in a hundred on a digest.
 * @example insideMachineToken('etag 9f4111111111111111a0c5d3e8b7a6f1e2', { start: 7, end: 23 }) // true
 */
export function insideMachineToken(text: string, span: CardSpan): boolean {
  return insideHexToken(text, span) || insideUuid(text, span);
}

function insideHexToken(text: string, span: CardSpan): boolean {
  // A span with a separator (space, dash, dot) is not part of one hex token.
  for (let index = span.start; index < span.end; index += 1) if (!isHex(text.charCodeAt(index))) return false;
  let start = span.start;
  let end = span.end;
  while (start > 0 && isHex(text.charCodeAt(start - 1))) start -= 1;
  while (end < text.length && isHex(text.charCodeAt(end))) end += 1;
  return end - start >= MIN_HEX_TOKEN;
}

function insideUuid(text: string, span: CardSpan): boolean {
  // Every 36-character window that covers the span; a UUID is short, so this is at most 36 tests.
  const first = Math.max(0, span.end - UUID_LENGTH);
  const last = Math.min(span.start, text.length - UUID_LENGTH);
  for (let start = first; start <= last; start += 1) {
    if (UUID.test(text.slice(start, start + UUID_LENGTH))) return true;
  }
  return false;
}

/**
 * Whether a stored number is an epoch-millisecond instant of 2001-09-09 … 2033-05-18: exactly 13 digits starting
 * with 1. Measured on `npm start` state: Powertools' idempotency records store `in_progress_expiration` as such a
 * DynamoDB number, and about one in ten is Luhn-valid (15 findings in one run). No card scheme issues a 13-digit
 * number starting with 1 (13-digit PANs are legacy Visa, starting with 4; the 1 range is UATP, 15 digits), so
 * skipping these whole numbers hides no card. Applied to DynamoDB number attributes only, where it was measured.
 * @example isEpochMillisNumber('1796534412579') // true
 */
export function isEpochMillisNumber(value: string): boolean {
  return /^1[0-9]{12}$/.test(value);
}
