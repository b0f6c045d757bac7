/**
 * JSON Lines buffer for one part, bounded by entries and by characters (a quarantined record can be up to the
 * record-size cap), so memory stays bounded whatever the file holds. Each service brings its own entry type
 * (schema-validate's row quarantine, settlement-match results).
 * @example const part = new JsonLinesPartBuffer<QuarantineEntry>(1_000, 8_000_000); part.add(entry); if (part.full) put(part.finish())
 */
export class JsonLinesPartBuffer<Entry> {
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
