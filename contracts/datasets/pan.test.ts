import { describe, expect, it } from 'vitest';
import { isLuhnValid, isPan } from './pan.ts';

describe('isPan', () => {
  it.each([
    ['4111111111111111', true],
    ['5500005555555559', true],
    ['378282246310005', true],
    ['4222222222222', true],
    ['6011000990139424', true],
    ['4111111111111112', false],
    ['411111111111', false],
    ['41111111111111111111', false],
    ['4111 1111 1111 1111', false],
    ['', false],
  ])('judges %j as %s', (value, expected) => {
    // Act / Assess
    expect(isPan(value)).toBe(expected);
  });

  it('refuses non-digits in the Luhn check', () => {
    // Act / Assess
    expect(isLuhnValid('41111111111111a1')).toBe(false);
  });
});
