import { maskCardNumbers } from '../card-numbers.ts';
import { scanBytes } from './content-scan.ts';
import type { ContentHit } from './findings.ts';
import { isEpochMillisNumber } from './machine-tokens.ts';
import { scanText } from './text-scan.ts';

/** A DynamoDB attribute value as the low-level client returns it (numbers are text), without importing the SDK. */
export interface StoredAttribute {
  readonly S?: string;
  readonly N?: string;
  readonly B?: Uint8Array;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly Uint8Array[];
  readonly M?: Readonly<Record<string, StoredAttribute>>;
  readonly L?: readonly StoredAttribute[];
  readonly BOOL?: boolean;
  readonly NULL?: boolean;
}

export type StoredItem = Readonly<Record<string, StoredAttribute>>;

/**
 * Card numbers anywhere in one item: every attribute, key attributes included, strings, numbers as DynamoDB
 * stores them (their exact text, so a 19-digit number loses nothing), binaries as bytes, sets, and nested lists
 * and maps at any depth, attribute names too. `where` is the attribute path (`detail.rows[2].card`). Number
 * attributes that are epoch-millisecond instants are skipped (`isEpochMillisNumber`: measured false positives).
 * @example scanItem({ pk: { S: 'PAN#4111111111111111' } }) // [{ where: 'attribute pk', excerpt: 'PAN#************1111' }]
 */
export function scanItem(item: StoredItem): ContentHit[] {
  const hits: ContentHit[] = [];
  for (const [name, value] of Object.entries(item)) {
    scanName(name, name, hits);
    walk(name, value, hits);
  }
  // A path holds attribute names, which may be card numbers themselves.
  return hits.map((hit) => ({ ...hit, where: maskCardNumbers(hit.where) }));
}

/** An attribute or map key name is stored text too. */
function scanName(name: string, path: string, hits: ContentHit[]): void {
  for (const hit of scanText(name)) hits.push({ where: `attribute name ${path}`, excerpt: hit.excerpt });
}

function walk(path: string, value: StoredAttribute, hits: ContentHit[]): void {
  const where = `attribute ${path}`;
  const text = (content: string, suffix = '') => {
    for (const hit of scanText(content))
      hits.push({
        where: `${where}${suffix}${hit.line > 1 ? `, line ${hit.line}` : ''}`,
        excerpt: hit.excerpt,
      });
  };
  const bytes = (content: Uint8Array, suffix = '') => {
    for (const hit of scanBytes(content).hits)
      hits.push({ where: `${where}${suffix}, ${hit.where}`, excerpt: hit.excerpt });
  };
  if (value.S !== undefined) text(value.S);
  if (value.N !== undefined && !isEpochMillisNumber(value.N)) text(value.N);
  if (value.B !== undefined) bytes(value.B);
  for (const [index, entry] of (value.SS ?? []).entries()) text(entry, ` set element ${index + 1}`);
  for (const [index, entry] of (value.NS ?? []).entries())
    if (!isEpochMillisNumber(entry)) text(entry, ` set element ${index + 1}`);
  for (const [index, entry] of (value.BS ?? []).entries()) bytes(entry, ` set element ${index + 1}`);
  for (const [index, entry] of (value.L ?? []).entries()) walk(`${path}[${index}]`, entry, hits);
  for (const [name, entry] of Object.entries(value.M ?? {})) {
    scanName(name, `${path}.${name}`, hits);
    walk(`${path}.${name}`, entry, hits);
  }
}
