import type { SilverColumn, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { PartsRef } from '../../contracts/events/envelope.ts';
import {
  quarantinePartKey,
  quarantinePrefix,
  type RunIdentity,
  silverPartKey,
  silverPrefix,
} from './object-keys.ts';
import { ParquetPartBuffer, type PartLineage } from './parquet-part-writer.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from './ports.ts';
import { JsonLinesPartBuffer, type QuarantineEntry } from './quarantine-part-writer.ts';

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
    const key = silverPartKey(this.prefix, this.keys.length);
    await this.ports.putObject({ bucket: this.config.buckets.silver, key }, this.buffer.finish());
    this.keys.push(key);
  }
}

/** Quarantine JSON Lines parts of one run, bounded by entries and characters. */
export class QuarantineParts {
  readonly prefix: string;
  private readonly keys: string[] = [];
  private readonly buffer: JsonLinesPartBuffer;

  constructor(
    private readonly ports: SchemaValidatePorts,
    private readonly config: SchemaValidateConfig,
    run: RunIdentity,
  ) {
    this.prefix = quarantinePrefix(run);
    this.buffer = new JsonLinesPartBuffer(config.quarantinePartEntries, config.quarantinePartCharacters);
  }

  /** Buffer an entry; true when the part is full and must be flushed before the next add. */
  add(entry: QuarantineEntry): boolean {
    this.buffer.add(entry);
    return this.buffer.full;
  }

  async flush(): Promise<void> {
    if (this.buffer.entryCount === 0) return;
    const key = quarantinePartKey(this.prefix, this.keys.length);
    await this.ports.putObject({ bucket: this.config.buckets.quarantine, key }, this.buffer.finish());
    this.keys.push(key);
  }

  /** Where the run's quarantined rows are: every `rows-NNNNN.jsonl` part, or null when there are none. */
  ref(): PartsRef | null {
    return this.keys.length === 0
      ? null
      : { bucket: this.config.buckets.quarantine, prefix: this.prefix, parts: [...this.keys] };
  }
}
