import { createHash } from 'node:crypto';

/** A natural key and a fingerprint, reduced to what the within-file map keeps. */
export interface HashedRow {
  /** First 96 bits of sha256(key) as three words: two distinct keys share them with p ≈ n²/2⁹⁷. */
  readonly key0: number;
  readonly key1: number;
  readonly key2: number;
  /** First 64 bits of the content fingerprint, compared only between rows of one key. */
  readonly fp0: number;
  readonly fp1: number;
}

/**
 * Reduce a key and its hex fingerprint for the map.
 * @example hashRow('KEY#transactions#acme-bank#tx-1', fingerprint)
 */
export function hashRow(key: string, fingerprintHex: string): HashedRow {
  const digest = createHash('sha256').update(key).digest();
  return {
    key0: digest.readUInt32LE(0),
    key1: digest.readUInt32LE(4),
    key2: digest.readUInt32LE(8),
    fp0: Number.parseInt(fingerprintHex.slice(0, 8), 16),
    fp1: Number.parseInt(fingerprintHex.slice(8, 16), 16),
  };
}

/** What the file said about one key: where it first appeared, and whether another content followed. */
export interface KeySighting {
  readonly firstRow: number;
  readonly fp0: number;
  readonly fp1: number;
  /** Row number of the first row with the same key and a different fingerprint; null when there is none. */
  readonly conflictRow: number | null;
}

/** Words per entry: key0 key1 key2 fp0 fp1 firstRow. */
const WORDS = 6;
/** Slots per entry at most: open addressing stays fast below ~70% load. */
const MAX_LOAD = 0.7;

/**
 * The within-file key map: natural key → first row and fingerprint prefix, for up to `capacity` distinct keys,
 * in two typed arrays sized once (no per-key objects, nothing for the GC to trace).
 *
 * Memory per key: 24 bytes of entry plus 4 bytes per slot at 1/0.7-2/0.7 slots per key (power of two).
 * Measured (heapUsed + arrayBuffers after GC, keys `KEY#transactions#acme-bank#tx-<10 digits>`): 32.5 bytes
 * per row for 1M rows and 33.6 for 7M (235 MB), against 245 bytes per row for a `Map<string, {fp, row}>`
 * of the same keys (1.7 GB at 7M). A 1 GiB file (config/limits.ts) of the shortest plausible rows (~45 bytes)
 * is ~24M rows: ≤ 850 MB here, inside the 2 GB function; the limit is the file cap, not this map. Keys that conflict (rare) keep their conflicting row
 * number in a small side `Map`.
 */
export class CompactKeyMap {
  private readonly entries: Uint32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly conflicts = new Map<number, number>();
  private count = 0;

  constructor(readonly capacity: number) {
    this.entries = new Uint32Array(Math.max(capacity, 1) * WORDS);
    let slotCount = 16;
    while (slotCount * MAX_LOAD < capacity) slotCount *= 2;
    this.slots = new Int32Array(slotCount);
    this.mask = slotCount - 1;
  }

  /** Distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the typed arrays (the map's memory, give or take the conflict side map). */
  get byteLength(): number {
    return this.entries.byteLength + this.slots.byteLength;
  }

  /**
   * Record one row (in file order) and say what it is within the file so far.
   * @returns `first` for a new key, `duplicate` for a repeat of the key's first content, `conflict` for other content
   */
  observe(row: HashedRow, rowNumber: number): 'first' | 'duplicate' | 'conflict' {
    const slot = this.find(row);
    const existing = this.slots[slot] as number;
    if (existing === 0) {
      if (this.count >= this.capacity) {
        throw new RangeError(
          `CompactKeyMap holds at most ${this.capacity} keys; the file has more rows than FileValidated counted.`,
        );
      }
      const base = this.count * WORDS;
      this.entries.set([row.key0, row.key1, row.key2, row.fp0, row.fp1, rowNumber], base);
      this.count += 1;
      this.slots[slot] = this.count;
      return 'first';
    }
    const entry = existing - 1;
    const base = entry * WORDS;
    if (this.entries[base + 3] === row.fp0 && this.entries[base + 4] === row.fp1) return 'duplicate';
    if (!this.conflicts.has(entry)) this.conflicts.set(entry, rowNumber);
    return 'conflict';
  }

  /** What the whole file said about a key, or undefined when it never appeared. */
  get(row: HashedRow): KeySighting | undefined {
    const existing = this.slots[this.find(row)] as number;
    if (existing === 0) return undefined;
    const base = (existing - 1) * WORDS;
    return {
      firstRow: this.entries[base + 5] as number,
      fp0: this.entries[base + 3] as number,
      fp1: this.entries[base + 4] as number,
      conflictRow: this.conflicts.get(existing - 1) ?? null,
    };
  }

  /** Linear probing from the key's low bits: the slot holding the key, or the empty slot where it belongs. */
  private find(row: HashedRow): number {
    let slot = row.key0 & this.mask;
    for (;;) {
      const existing = this.slots[slot] as number;
      if (existing === 0) return slot;
      const base = (existing - 1) * WORDS;
      if (
        this.entries[base] === row.key0 &&
        this.entries[base + 1] === row.key1 &&
        this.entries[base + 2] === row.key2
      ) {
        return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}
