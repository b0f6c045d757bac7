/**
 * Streaming detector for values that look like payment card numbers, by the same rule as
 * `lib/card-data/card-numbers.ts` (which masks text): 13-19 digits, optionally split into groups by a single space,
 * dash or dot, Luhn-valid, not starting with 0. A number glued to letters or `_` (`tx4111…`) counts too: a file that
 * might hold a card number must not reach the Object-Locked raw bucket. It keeps at most the last 38 digits of the
 * current run, so memory is bounded, and it reports counts and line numbers only: nothing it saw can be recovered
 * from its result.
 *
 * The caller classifies bytes (see {@link byteClass}) and calls `digit` for digits and `other` for any other
 * byte while `active` is true; bytes outside a run need no call, which keeps the scan fast.
 */
export class CardNumberDetector {
  /** True while a run is open (inside a group, or right after a separator): every non-digit byte matters. */
  active = false;
  private inGroup = false;
  private afterSeparator = false;
  /** Digits of the run's kept groups followed by the current group. */
  private readonly digits = new Uint8Array(2 * MAX_DIGITS + 2);
  private length = 0;
  /** Start offset (in `digits`), first line and left-blocked flag of each kept group and the current one. */
  private readonly starts = new Int32Array(2 * MAX_DIGITS + 2);
  private readonly lines = new Int32Array(2 * MAX_DIGITS + 2);
  private groups = 0;
  private groupLength = 0;
  private matches = 0;
  private firstLine: number | null = null;

  /** A digit byte (0x30-0x39) on a 1-based line. */
  digit(value: number, line: number): void {
    if (!this.inGroup) {
      if (!this.afterSeparator) {
        this.length = 0;
        this.groups = 0;
      }
      this.starts[this.groups] = this.length;
      this.lines[this.groups] = line;
      this.groups += 1;
      this.groupLength = 0;
      this.inGroup = true;
      this.afterSeparator = false;
      this.active = true;
    }
    this.groupLength += 1;
    if (this.groupLength <= MAX_DIGITS) this.digits[this.length++] = value - DIGIT_0;
  }

  /** Any non-digit byte while `active`. */
  other(isSeparator: boolean): void {
    if (this.inGroup && isSeparator) {
      this.endGroup();
      this.afterSeparator = true;
      return;
    }
    if (this.inGroup) this.endGroup();
    this.reset();
  }

  /** Close the last run at end of input and report what was found. */
  finish(): CardNumberFindings {
    if (this.inGroup) this.endGroup();
    this.reset();
    return { count: this.matches, firstLine: this.firstLine };
  }

  private reset(): void {
    this.inGroup = false;
    this.afterSeparator = false;
    this.active = false;
    this.length = 0;
    this.groups = 0;
  }

  private endGroup(): void {
    this.inGroup = false;
    if (this.groupLength > MAX_DIGITS) {
      // Too long to be, or be part of, a card number; it also separates what came before from what follows.
      this.length = 0;
      this.groups = 0;
      return;
    }
    if (this.length >= MIN_DIGITS) this.evaluateSpansEndingHere();
    this.prune();
  }

  /** Check every span of whole groups that ends with the group just closed. */
  private evaluateSpansEndingHere(): void {
    for (let group = this.groups - 1; group >= 0; group -= 1) {
      const start = this.starts[group] as number;
      const size = this.length - start;
      if (size > MAX_DIGITS) return;
      if (size < MIN_DIGITS || this.digits[start] === 0) continue;
      if (luhnValidDigits(this.digits, start, this.length)) {
        this.matches += 1;
        this.firstLine ??= this.lines[group] as number;
        return;
      }
    }
  }

  /** Drop groups that can no longer start a span once at least one more digit follows (suffix > 18 digits). */
  private prune(): void {
    let keepFrom = this.groups;
    while (keepFrom > 0 && this.length - (this.starts[keepFrom - 1] as number) <= MAX_DIGITS - 1)
      keepFrom -= 1;
    if (keepFrom === 0) return;
    const offset = keepFrom < this.groups ? (this.starts[keepFrom] as number) : this.length;
    this.digits.copyWithin(0, offset, this.length);
    this.length -= offset;
    for (let group = keepFrom; group < this.groups; group += 1) {
      this.starts[group - keepFrom] = (this.starts[group] as number) - offset;
      this.lines[group - keepFrom] = this.lines[group] as number;
    }
    this.groups -= keepFrom;
  }
}

/** What the detector found: how many card-like values and the first line holding one. */
export type CardNumberFindings = { count: number; firstLine: number | null };

/** Byte classes for the scan loop. */
export const OTHER = 0;
export const DIGIT = 1;
export const SEPARATOR = 2;
/** NUL: the high or low byte of an ASCII character in UTF-16 and UTF-32 text; skipped so `4\0 1\0…` is `41…`. */
export const TRANSPARENT = 3;

/**
 * Class of every byte: digits, group separators (space, dash, dot), NUL (transparent), other.
 * Bytes of multi-byte characters are "other", i.e. boundaries. Every ASCII-compatible encoding a partner may
 * declare (UTF-8, windows-1252, ISO-8859-x) writes digits as these bytes, and UTF-16/32 as these bytes plus NULs.
 */
export const byteClass: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let value = 0x30; value <= 0x39; value += 1) table[value] = DIGIT;
  table[0x00] = TRANSPARENT;
  table[0x20] = SEPARATOR;
  table[0x2d] = SEPARATOR;
  table[0x2e] = SEPARATOR;
  return table;
})();

/**
 * Luhn (mod 10) check over a string of ASCII digits.
 * @example luhnValid('4111111111111111') // true
 */
export function luhnValid(digits: string): boolean {
  const values = Uint8Array.from(digits, (char) => char.charCodeAt(0) - DIGIT_0);
  return luhnValidDigits(values, 0, values.length);
}

function luhnValidDigits(digits: Uint8Array, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let index = end - 1; index >= start; index -= 1) {
    let digit = digits[index] as number;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
const DIGIT_0 = 0x30;
