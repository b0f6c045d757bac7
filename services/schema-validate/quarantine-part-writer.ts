/** One quarantined row as written to JSON Lines; `maskedLine` never holds a card number in clear. */
export interface QuarantineEntry {
  /** Physical line the record starts on (the header is line 1). */
  readonly rowNumber: number;
  /** First failing column, or null when the record as a whole is wrong (ragged, blank). */
  readonly field: string | null;
  readonly reason: string;
  readonly maskedLine: string;
  readonly fileId: string;
  readonly runId: string;
}

/**
 * JSON Lines buffer for one quarantine part, bounded by entries and by characters (a quarantined record can be
 * up to the record-size cap), so memory stays bounded whatever the file holds. Other services' JSON Lines parts
 * (settlement-match results) reuse it with their own entry type.
 */
export class JsonLinesPartBuffer<Entry = QuarantineEntry> {
  private lines: string[] = [];
  private characters = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxCharacters: number,
  ) {}

  get entryCount(): number {
    return this.lines.length;
  }

  get full(): boolean {
    return this.lines.length >= this.maxEntries || this.characters >= this.maxCharacters;
  }

  /** Serialise at once: the buffer holds flat strings, not references into the parser's chunks. */
  add(entry: Entry): void {
    const line = JSON.stringify(entry);
    this.lines.push(line);
    this.characters += line.length + 1;
  }

  finish(): Uint8Array {
    const bytes = new TextEncoder().encode(this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`);
    this.lines = [];
    this.characters = 0;
    return bytes;
  }
}
