import { describe, expect, it } from 'vitest';
import { cardTokenizer } from './card-tokens.ts';

describe('cardTokenizer', () => {
  it('keeps BIN, last 4 and a keyed fingerprint, never the PAN', () => {
    // Prepare
    const tokens = cardTokenizer('test-key-0123456789abcdef');

    // Act
    const result = tokens('4111111111111111');

    // Assess
    expect(result.bin).toBe('411111');
    expect(result.last4).toBe('1111');
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(result)).not.toContain('4111111111111111');
  });

  it('gives different fingerprints under different keys', () => {
    // Act
    const first = cardTokenizer('key-one-0123456789abcdef')('4111111111111111');
    const second = cardTokenizer('key-two-0123456789abcdef')('4111111111111111');

    // Assess
    expect(first.fingerprint).not.toBe(second.fingerprint);
  });

  it('refuses a short key', () => {
    // Act / Assess
    expect(() => cardTokenizer('short')).toThrow(/at least 16 bytes/);
  });
});
