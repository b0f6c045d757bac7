import { shuffleInPlace } from '../../lib/random/shuffle.ts';
/** A seeded pseudo-random source (mulberry32): the same seed always yields the same sequence. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** Pick by weight from `[value, weight]` pairs. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** Lower-case base-36 identifier with a prefix, e.g. `tx_k3j9a0q2m1zz`. */
  id(prefix: string, length: number): string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * @example createRandom(seedFor(42, 'acme-bank/transactions/2026-11-19')).int(1, 6)
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[int(0, items.length - 1)] as T;
  };
  return {
    next,
    int,
    pick,
    chance: (probability) => next() < probability,
    weighted: (choices) => {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return (choices[choices.length - 1] as readonly [never, number])[0];
    },
    id: (prefix, length) => {
      let text = prefix;
      for (let index = 0; index < length; index += 1) text += ALPHABET[int(0, ALPHABET.length - 1)];
      return text;
    },
  };
}

/** Mix a base seed with a label (FNV-1a), so each file's stream does not depend on generation order. */
export function seedFor(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < label.length; index += 1) {
    hash ^= label.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A seeded Fisher-Yates permutation of `items` (a copy): the same seed gives the same order. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  return shuffleInPlace([...items], (max) => random.int(0, max));
}
