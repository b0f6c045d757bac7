import type { SilverColumn, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { PartsRef } from '../../contracts/events/envelope.ts';
import { JsonLinesPartBuffer } from '../../lib/parquet/json-lines-part-buffer.ts';
import { ParquetPartBuffer, type PartLineage } from '../../lib/parquet/parquet-part-buffer.ts';
import {
  partNumber,
  quarantinePartKey,
  quarantinePrefix,
  type RunIdentity,
  silverPartKey,
  silverPrefix,
} from '../../lib/parquet/part-keys.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from './ports.ts';

/** One quarantined row as written to JSON Lines; `maskedLine` never holds a card number in clear. */
export interface QuarantineEntry {
  /** Physical line the record starts on (the header is line 1). */
  readonly rowNumber: number;
  /** First failing column, or null when the record as a whole is wrong (ragged, a misplaced trailer). */
  readonly field: string | null;
  readonly reason: string;
  readonly maskedLine: string;
  readonly fileId: string;
  readonly runId: string;
}

/**
 * Silver Parquet parts of one run: rows are buffered up to `partRows`, then written as the next part.
 * Parts are only published by being listed in FileValidated; a rejected run's parts stay unreferenced.
 */
export class SilverParts {
  readonly prefix: string;
  readonly keys: string[] = [];
  private readonly buffer: ParquetPartBuffer;

  get bucket(): string {
    return this.config.buckets.silver;
  }

  constructor(
    private readonly ports: SchemaValidatePorts,
    private readonly config: SchemaValidateConfig,
    run: RunIdentity,
    columns: readonly SilverColumn[],
    lineage: PartLineage,
    /** A chunk of a file validated in chunks writes its parts in its own folder under the run's prefix. */
    private readonly chunk?: number,
  ) {
    this.prefix = silverPrefix(run);
    this.buffer = new ParquetPartBuffer(columns, lineage);
  }

  /** Rows held in memory right now (never more than `partRows`). */
  get buffered(): number {
    return this.buffer.rowCount;
  }

  /** Buffer a row; true when the part is full and must be flushed before the next append. */
  append(values: readonly SilverValue[], rowNumber: number): boolean {
    this.buffer.append(values, rowNumber);
    return this.buffer.rowCount >= this.config.partRows;
  }

  async flush(): Promise<void> {
    if (this.buffer.rowCount === 0) return;
    const key = silverPartKey(chunkFolder(this.prefix, this.chunk), this.keys.length);
    await this.ports.putObject({ bucket: this.config.buckets.silver, key }, this.buffer.finish());
    this.keys.push(key);
  }
}

/** Quarantine JSON Lines parts of one run, bounded by entries and characters. */
export class QuarantineParts {
  readonly prefix: string;
  private readonly keys: string[] = [];
  private readonly buffer: JsonLinesPartBuffer<QuarantineEntry>;

  constructor(
    private readonly ports: SchemaValidatePorts,
    private readonly config: SchemaValidateConfig,
    run: RunIdentity,
    private readonly chunk?: number,
  ) {
    this.prefix = quarantinePrefix(run);
    this.buffer = new JsonLinesPartBuffer<QuarantineEntry>(
      config.quarantinePartEntries,
      config.quarantinePartCharacters,
    );
  }

  /** Buffer an entry; true when the part is full and must be flushed before the next add. */
  add(entry: QuarantineEntry): boolean {
    this.buffer.add(entry);
    return this.buffer.full;
  }

  async flush(): Promise<void> {
    if (this.buffer.entryCount === 0) return;
    const key = quarantinePartKey(chunkFolder(this.prefix, this.chunk), this.keys.length);
    await this.ports.putObject({ bucket: this.config.buckets.quarantine, key }, this.buffer.finish());
    this.keys.push(key);
  }

  /** The parts written so far, in order. */
  get partKeys(): readonly string[] {
    return this.keys;
  }

  /** Where the run's quarantined rows are: every `rows-NNNNN.jsonl` part, or null when there are none. */
  ref(): PartsRef | null {
    return this.keys.length === 0
      ? null
      : { bucket: this.config.buckets.quarantine, prefix: this.prefix, parts: [...this.keys] };
  }
}

/** `<run prefix>chunk-NNNNN/` for a chunk's parts; the run's prefix itself for a file validated whole. */
const chunkFolder = (prefix: string, chunk: number | undefined): string =>
  chunk === undefined ? prefix : `${prefix}chunk-${partNumber(chunk)}/`;
