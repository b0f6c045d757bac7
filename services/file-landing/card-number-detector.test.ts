import { describe, expect, it } from 'vitest';
import { ContentScanner } from './content-scan.ts';

/** The rule, written the slow, obvious way: every group-aligned span of 13-19 digits. */
function referenceCount(text: string): number {
  const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
  const isSeparator = (char: string | undefined) => char === ' ' || char === '-' || char === '.';
  const ends = new Set<number>();
  for (let start = 0; start < text.length; start += 1) {
    if (!isDigit(text[start]) || isDigit(text[start - 1])) continue;
    let digits = '';
    for (let end = start; end < text.length; end += 1) {
      const char = text[end];
      if (isDigit(char)) digits += char;
      else if (!(isSeparator(char) && isDigit(text[end - 1]) && isDigit(text[end + 1]))) break;
      if (digits.length > 19) break;
      const closesGroup = isDigit(char) && !isDigit(text[end + 1]);
      if (!closesGroup || digits.length < 13 || digits[0] === '0') continue;
      if (luhn(digits)) ends.add(end);
    }
  }
  return ends.size;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

function scanCount(text: string, chunk: number): number {
  const bytes = new TextEncoder().encode(text);
  const scanner = new ContentScanner();
  for (let offset = 0; offset < bytes.length; offset += chunk)
    scanner.update(bytes.subarray(offset, offset + chunk));
  return scanner.finish().cardNumbers.count;
}

describe('CardNumberDetector', () => {
  it('agrees with the reference rule on seeded random text, whatever the chunk size', () => {
    // Prepare
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const alphabet = '0123456789012345678901234567890123456789  --..a_,\n';
    const texts = Array.from({ length: 400 }, () =>
      Array.from(
        { length: 20 + Math.floor(random() * 200) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join(''),
    );
    texts.push(
      `${'9 '.repeat(60)}4111 1111 1111 1111 ${'1-'.repeat(40)}x`,
      `${'1'.repeat(25)} 4111111111111111`,
    );

    // Act
    const mismatches = texts.filter((text) =>
      [1, 3, 64].some((chunk) => scanCount(text, chunk) !== referenceCount(text)),
    );

    // Assess
    expect(texts.filter((text) => referenceCount(text) > 0).length).toBeGreaterThan(5);
    expect(mismatches).toEqual([]);
  });
});
