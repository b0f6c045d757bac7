import { maskCardNumbers } from '../card-numbers.ts';

/** One card number found inside a piece of content: where in it, and a masked excerpt. */
export interface ContentHit {
  /** Human-readable position: `line 3, column 12`, `UTF-16LE line 1, column 5`, `column pan, row 2`. */
  readonly where: string;
  readonly excerpt: string;
  /** The 1-based line, for content read as text (to name the archived event or log entry it is in). */
  readonly line?: number;
}

/** The kinds of place a card number can be stored in an offline state folder. */
export type StoreKind = 'object-key' | 'object' | 'item' | 'archive' | 'queue' | 'log';

/** A clear card number outside the restricted prefix, located precisely enough to purge it, and masked. */
export interface CardFinding {
  readonly store: StoreKind;
  /** Bucket, table, queue, or archive or log file. */
  readonly container: string;
  /** Object key, item key (`pk=…, sk=…`), message id, or archive line. */
  readonly entry: string;
  /** Where inside the entry (line and column, Parquet column and row, attribute path, message part). */
  readonly where: string;
  /** The card number with all but its last four digits masked, with a little context. */
  readonly excerpt: string;
}

/**
 * A finding with every field passed through `maskCardNumbers`, so no report, log or assertion message built
 * from it can hold a clear card number, even one in a bucket name or an object key.
 */
export function cardFinding(finding: CardFinding): CardFinding {
  return {
    store: finding.store,
    container: maskCardNumbers(finding.container),
    entry: maskCardNumbers(finding.entry),
    where: maskCardNumbers(finding.where),
    excerpt: maskCardNumbers(finding.excerpt),
  };
}

const STORE_LABEL: Readonly<Record<StoreKind, [container: string, entry: string]>> = {
  'object-key': ['bucket', 'key'],
  object: ['bucket', 'key'],
  item: ['table', 'item'],
  archive: ['bus archive', 'event'],
  queue: ['queue', 'message'],
  log: ['log file', 'entry'],
};

/**
 * One line per finding, for the CLI and failing tests.
 * @example formatFinding(finding) // 'object: bucket finledger-local-silver key silver/a.parquet at column pan, row 2: "************1111"'
 */
export function formatFinding(finding: CardFinding): string {
  const [container, entry] = STORE_LABEL[finding.store];
  const inEntry = finding.entry === '' ? '' : ` ${entry} ${finding.entry}`;
  return `${finding.store}: ${container} ${finding.container}${inEntry} at ${finding.where}: ${JSON.stringify(finding.excerpt)}`;
}
