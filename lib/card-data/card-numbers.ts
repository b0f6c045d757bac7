import { createHmac } from 'node:crypto';
import { isLuhnValid } from '../../contracts/datasets/pan.ts';
import { DIGEST_ID_HEX_DIGITS, DIGEST_ID_PREFIXES } from '../ids/digest-id.ts';

const MIN_PAN_DIGITS = 13;
const MAX_PAN_DIGITS = 19;

/** A card number found in text: [start, end) in UTF-16 units, separators included. */
export interface CardSpan {
  readonly start: number;
  readonly end: number;
}

interface DigitGroup {
  start: number;
  end: number;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
/** Single characters partners put between digit groups: space, dash, dot. */
const isSeparator = (code: number): boolean => code === 32 || code === 45 || code === 46;

/**
 * Card numbers in free text: 13-19 digits, Luhn-valid, as one digit run or as consecutive digit groups joined
 * by single spaces, dashes or dots ("4111 1111 1111 1111", "3782-822463-10005"). As at landing, a candidate never
 * starts with 0 (no card issuer has ISO 7812 major industry identifier 0), so zero-padded ids such as
 * `BATCH-0042-0000000001` are not cards. A bare run of more than 19 digits is a long number, not a card.
 * A number glued to a letter or `_` (`tx4111…`, `ref_4111…`) counts: the stricter reading is the safe one.
 * Runs with fewer than 13 digits in total are skipped without allocating.
 * This is the one definition finledger masks and scans by (landing's byte scanner agrees with it).
 * @example cardNumberSpans('ref 4111-1111-1111-1111') // [{ start: 4, end: 23 }]
 */
export function cardNumberSpans(text: string): CardSpan[] {
  const spans: CardSpan[] = [];
  const length = text.length;
  let index = 0;
  while (index < length) {
    if (!isDigit(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    // A run: digit groups joined by single separators.
    const runStart = index;
    let digits = 0;
    for (;;) {
      while (index < length && isDigit(text.charCodeAt(index))) {
        digits += 1;
        index += 1;
      }
      if (index + 1 < length && isSeparator(text.charCodeAt(index)) && isDigit(text.charCodeAt(index + 1))) {
        index += 1;
        continue;
      }
      break;
    }
    if (digits >= MIN_PAN_DIGITS) {
      for (const span of panSpansInRun(text, runStart, index)) {
        if (!insideMachineToken(text, span)) spans.push(span);
      }
    }
  }
  return spans;
}

const isHex = (code: number): boolean =>
  isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Shortest hex token taken for a digest (md5 is 32 hex digits; sha256 64). */
const MIN_DIGEST_HEX = 32;

/**
 * Whether a candidate lies inside a machine token: a hex digest (32 or more hex digits: sha256, md5, ETag, run ids),
 * one of finledger's own 24-hex ids (`f_`, `recon_`, `mr_`, `ready_`) or a UUID. About 1 % of random sha256 hex strings hold a Luhn-valid 13-19 digit window by chance; masking
 * them would corrupt content hashes and ids in reasons, logs and reports. A card number glued inside such a token
 * is the one case this gives up, on purpose.
 */
function insideMachineToken(text: string, span: CardSpan): boolean {
  let start = span.start;
  let end = span.end;
  while (start > 0 && isHex(text.charCodeAt(start - 1))) start -= 1;
  while (end < text.length && isHex(text.charCodeAt(end))) end += 1;
  if (end - start >= MIN_DIGEST_HEX && !/[^0-9a-fA-F]/.test(text.slice(start, end))) return true;
  if (isDigestIdBody(text, start, end)) return true;
  let uuidStart = span.start;
  let uuidEnd = span.end;
  const isUuidChar = (code: number) => isHex(code) || code === 45;
  while (uuidStart > 0 && isUuidChar(text.charCodeAt(uuidStart - 1))) uuidStart -= 1;
  while (uuidEnd < text.length && isUuidChar(text.charCodeAt(uuidEnd))) uuidEnd += 1;
  return UUID.test(text.slice(uuidStart, uuidEnd));
}

/** `<prefix>_` of a finledger id (`lib/ids/digest-id.ts`), then exactly its hex digits, not glued to more text. */
const DIGEST_ID_BODY = new RegExp(
  `(?:^|[^0-9A-Za-z_])(?:${DIGEST_ID_PREFIXES.join('|')})_[0-9a-f]{${DIGEST_ID_HEX_DIGITS}}$`,
);

/** Whether hex digits [start, end) are the body of one of finledger's own digest ids (`recon_3bee…`). */
function isDigestIdBody(text: string, start: number, end: number): boolean {
  if (end - start !== DIGEST_ID_HEX_DIGITS) return false;
  const after = end < text.length ? text.charCodeAt(end) : -1;
  if (after === 95 || (after >= 65 && after <= 90) || (after >= 103 && after <= 122)) return false;
  const longestPrefix = Math.max(...DIGEST_ID_PREFIXES.map((prefix) => prefix.length)) + 2;
  return DIGEST_ID_BODY.test(text.slice(Math.max(0, start - longestPrefix), end));
}

/**
 * Within one run, every window of consecutive groups that is a Luhn-valid PAN, merged where they overlap so
 * masking a span hides every digit of every candidate in it.
 */
function panSpansInRun(text: string, start: number, end: number): CardSpan[] {
  const groups: DigitGroup[] = [];
  let groupStart = start;
  for (let index = start; index <= end; index += 1) {
    if (index === end || !isDigit(text.charCodeAt(index))) {
      groups.push({ start: groupStart, end: index });
      groupStart = index + 1;
    }
  }
  const spans: { start: number; end: number }[] = [];
  for (let first = 0; first < groups.length; first += 1) {
    let digits = '';
    for (let last = first; last < groups.length; last += 1) {
      const group = groups[last] as DigitGroup;
      digits += text.slice(group.start, group.end);
      if (digits.length > MAX_PAN_DIGITS) break;
      if (digits.length < MIN_PAN_DIGITS || digits.charCodeAt(0) === 48 || !isLuhnValid(digits)) continue;
      const windowStart = (groups[first] as DigitGroup).start;
      const previous = spans.at(-1);
      if (previous && windowStart <= previous.end) previous.end = Math.max(previous.end, group.end);
      else spans.push({ start: windowStart, end: group.end });
    }
  }
  return spans;
}

/** Whether text holds a card number anywhere (see `cardNumberSpans`). */
export function containsCardNumber(text: string): boolean {
  return cardNumberSpans(text).length > 0;
}

/**
 * The one masking function for free text that leaves landing (rejection reasons, quarantine lines, break causes,
 * log lines, CLI output, object keys): every digit of each card number but its last four becomes '*', separators
 * stay, so the text stays readable and nothing recoverable is stored.
 * @example maskCardNumbers('x,4111111111111111') // 'x,************1111'
 */
export function maskCardNumbers(text: string): string {
  const spans = cardNumberSpans(text);
  if (spans.length === 0) return text;
  let masked = '';
  let cursor = 0;
  for (const span of spans) {
    masked += text.slice(cursor, span.start) + maskAllButLast4(text.slice(span.start, span.end));
    cursor = span.end;
  }
  return masked + text.slice(cursor);
}

/**
 * Mask every digit except the last four, whether or not the value is Luhn-valid.
 * @example maskAllButLast4('4111-1111') // '****-1111'
 */
export function maskAllButLast4(value: string): string {
  let keep = 4;
  let masked = '';
  for (let index = value.length - 1; index >= 0; index -= 1) {
    const char = value.charAt(index);
    if (isDigit(char.charCodeAt(0))) {
      masked = (keep > 0 ? char : '*') + masked;
      keep -= 1;
    } else {
      masked = char + masked;
    }
  }
  return masked;
}

/**
 * A keyed digest (HMAC-SHA256, hex) of text that may hold a card number, such as an object key: equal texts give
 * equal digests, so a delivery can be recognised again, but the card number cannot be recovered by enumerating
 * card numbers without the key (PCI DSS 4.0 requirement 3.5.1.1: keyed cryptographic hashes of the entire PAN).
 * @example keyedDigest('inbound/…/4111111111111111.csv', key) // '9f2c…' (64 hex digits)
 */
export function keyedDigest(text: string, hmacKey: string | Uint8Array): string {
  if (hmacKey.length < 16) throw new Error('The card fingerprint HMAC key must be at least 16 bytes.');
  return createHmac('sha256', hmacKey).update(text).digest('hex');
}
