/**
 * Primary account numbers (card numbers): 13-19 digits passing the Luhn check.
 * @see https://www.iso.org/standard/70484.html (ISO/IEC 7812-1)
 */
export const PAN_PATTERN = /^[0-9]{13,19}$/;

/**
 * Luhn (mod 10) check over a string of ASCII digits.
 * @example isLuhnValid('4111111111111111') // true
 */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A well-formed PAN: 13-19 digits, Luhn-valid. */
export function isPan(value: string): boolean {
  return PAN_PATTERN.test(value) && isLuhnValid(value);
}
