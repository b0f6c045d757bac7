import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Index, utf8IncompleteTailLength } from './utf8-offsets.ts';

describe('firstInvalidUtf8Index', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xe2, 0x82, 0xac], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x61, 0xe9, 0x62], 1],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xff], 0],
    [[0x61, 0xe2, 0x82], -1],
  ])('finds %j invalid at %i', (bytes, index) => {
    // Act / Assess
    expect(firstInvalidUtf8Index(new Uint8Array(bytes))).toBe(index);
  });
});

describe('utf8IncompleteTailLength', () => {
  it.each([
    [[0x61], 0],
    [[0x61, 0xe2], 1],
    [[0x61, 0xe2, 0x82], 2],
    [[0xe2, 0x82, 0xac], 0],
    [[0xf0, 0x9f, 0x98], 3],
  ])('counts the pending bytes of %j as %i', (bytes, pending) => {
    // Act / Assess
    expect(utf8IncompleteTailLength(new Uint8Array(bytes))).toBe(pending);
  });
});
