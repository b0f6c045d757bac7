import type { PartsRef } from '../../contracts/events/envelope.ts';
import {
  dedupQuarantinePrefix,
  entriesPartKey,
  type RunIdentity,
  uniquePartKey,
  uniquePrefix,
} from './object-keys.ts';
import type { DedupConfig, DedupObjects, RowLineage } from './ports.ts';

/** How a row relates to the row it was compared with. */
export type DedupScope = 'within-file' | 'cross-file';

/** A dropped exact duplicate: its own lineage and that of the row it copies (whose outcome is in its own entry). */
export interface DuplicateEntry {
  readonly kind: 'duplicate';
  readonly scope: DedupScope;
  readonly key: string;
  /** The natural key's fields, `partner` included. */
  readonly naturalKey: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly row: RowLineage;
  /** The earlier row of this file (within-file) or the key's owner in another file (cross-file). */
  readonly of: RowLineage;
}

/** A quarantined conflict: same natural key, different content. Neither version is silently kept or dropped. */
export interface ConflictEntry {
  readonly kind: 'conflict';
  readonly scope: DedupScope;
  readonly key: string;
  readonly naturalKey: Readonly<Record<string, string>>;
  readonly row: RowLineage & { readonly fingerprint: string };
  /**
   * The other version: the key's owner (cross-file, which stays in silver), or the first row of this file with
   * different content (within-file, where no version reaches the unique set). Its fingerprint is in its own
   * entry for within-file conflicts, so null here.
   */
  readonly other: RowLineage & { readonly fingerprint: string | null };
  /** This row's business columns (bigint as text), to compare the versions without opening silver. */
  readonly record: Readonly<Record<string, unknown>>;
}

/** Unique rows as silver Parquet parts, written by DuckDB (write-outcomes.ts), numbered in file order. */
export class UniqueParts {
  readonly prefix: string;
  readonly keys: string[] = [];
  count = 0;

  constructor(
    private readonly objects: DedupObjects,
    private readonly config: DedupConfig,
    run: RunIdentity,
    /** A work unit's sub-folder (`unitFolder`), '' for a whole file. */
    private readonly folder = '',
  ) {
    this.prefix = uniquePrefix(run);
  }

  /** Write one finished part as the next part, with its row count. */
  async putPart(bytes: Uint8Array, rowCount: number): Promise<void> {
    const key = uniquePartKey(`${this.prefix}${this.folder}`, this.keys.length);
    await this.objects.putObject({ bucket: this.config.buckets.silver, key }, bytes);
    this.keys.push(key);
    this.count += rowCount;
  }

  ref(): PartsRef {
    return { bucket: this.config.buckets.silver, prefix: this.prefix, parts: [...this.keys] };
  }
}

/** Quarantine JSON Lines parts of one kind, bounded by entries and by characters. */
export class EntryParts<Entry> {
  readonly prefix: string;
  private readonly keys: string[] = [];
  private lines: string[] = [];
  private characters = 0;
  count = 0;

  constructor(
    private readonly objects: DedupObjects,
    private readonly config: DedupConfig,
    run: RunIdentity,
    kind: 'duplicates' | 'conflicts',
    /** A work unit's sub-folder (`unitFolder`), '' for a whole file. */
    private readonly folder = '',
  ) {
    this.prefix = dedupQuarantinePrefix(run, kind);
  }

  /** Serialise at once; true when the part is full and must be flushed before the next add. */
  add(entry: Entry): boolean {
    const line = JSON.stringify(entry);
    this.lines.push(line);
    this.characters += line.length + 1;
    this.count += 1;
    return (
      this.lines.length >= this.config.quarantinePartEntries ||
      this.characters >= this.config.quarantinePartCharacters
    );
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const key = entriesPartKey(`${this.prefix}${this.folder}`, this.keys.length);
    const bytes = new TextEncoder().encode(`${this.lines.join('\n')}\n`);
    this.lines = [];
    this.characters = 0;
    await this.objects.putObject({ bucket: this.config.buckets.quarantine, key }, bytes);
    this.keys.push(key);
  }

  /** Every part of this kind, or null when there are none. */
  ref(): PartsRef | null {
    return this.keys.length === 0
      ? null
      : { bucket: this.config.buckets.quarantine, prefix: this.prefix, parts: [...this.keys] };
  }
}
