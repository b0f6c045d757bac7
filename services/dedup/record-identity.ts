import { createHash } from 'node:crypto';
import type {
  DatasetContract,
  DatasetName,
  SilverColumn,
  SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';

/**
 * Version of the canonical form below. Stored with every claimed key, so a later change of the fingerprint
 * columns can be told apart from a content change instead of turning every re-sent record into a conflict.
 * 2: text compared in Unicode NFC (identical to 1 for any text already in NFC, ASCII included).
 */
export const FINGERPRINT_VERSION = 2;

/** Text with a code unit from U+0300 up (combining marks and beyond); everything below is already NFC. */
const MAY_CHANGE_UNDER_NFC = /[\u0300-\uffff]/;

/**
 * Unicode NFC form of a text, the form keys and fingerprints compare in: "é" as one code point or as "e" plus a
 * combining acute are the same text to a reader, so they must be the same id. Not NFKC (it would fold "²" to
 * "2" and full-width digits, changing meaning) and no homoglyph fold (Latin "a" and Cyrillic "а" stay apart).
 * @see https://unicode.org/reports/tr15/
 */
export function nfc(text: string): string {
  return MAY_CHANGE_UNDER_NFC.test(text) ? text.normalize('NFC') : text;
}

/**
 * Business silver columns left out of the content fingerprint, per dataset, with the reason. Lineage columns
 * (`partner`, `business_date`, `_file_id`, `_file_sha256`, `_row_number`, `_run_id`, `_schema_v`) are never in
 * it: they describe where a row came from, not what it says, so the same record in two files or on two
 * business dates fingerprints the same.
 */
export const FINGERPRINT_EXCLUDED: Readonly<Record<DatasetName, Readonly<Record<string, string>>>> = {
  transactions: {
    occurred_at_text:
      'the partner-offset spelling of `occurred_at`; the instant (UTC micros) is in the fingerprint',
    card_fingerprint:
      'a keyed HMAC of the card number: rotating FINLEDGER_PAN_HMAC_KEY would turn every re-sent record into a conflict; `card_bin` and `card_last4` stay in',
  },
  settlements: {
    settled_at_text:
      'the partner-offset spelling of `settled_at`; the instant (UTC micros) is in the fingerprint',
  },
};

/** Where a dataset's identity lives among its silver columns. */
export interface RecordIdentity {
  readonly dataset: DatasetName;
  /** Natural key fields other than `partner` (which is the file's), in contract order. */
  readonly keyFields: readonly string[];
  /** Index in `contract.silverColumns` of each key field. */
  readonly keyIndexes: readonly number[];
  /** Columns the fingerprint covers, in contract order, with their index in `contract.silverColumns`. */
  readonly fingerprintColumns: readonly { readonly name: string; readonly index: number }[];
}

/** Thrown at load when a contract's natural key or exclusions do not match its silver columns: a bug. */
export class RecordIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordIdentityError';
  }
}

/**
 * The natural key and fingerprint columns of a dataset contract.
 * @example const identity = recordIdentityOf(TransactionsV1) // keyFields ['transaction_id']
 */
export function recordIdentityOf(contract: DatasetContract): RecordIdentity {
  const columns: readonly SilverColumn[] = contract.silverColumns;
  const indexOf = (name: string) => columns.findIndex((column) => column.name === name);
  const keyFields = contract.naturalKey.filter((field) => field !== 'partner');
  const keyIndexes = keyFields.map(indexOf);
  const missing = keyFields.filter((_, position) => keyIndexes[position] === -1);
  if (missing.length > 0 || keyFields.length === 0) {
    throw new RecordIdentityError(
      `Natural key of ${contract.name} v${contract.version} (${contract.naturalKey.join(', ')}) must name silver columns besides partner; missing: ${missing.join(', ') || 'all'}.`,
    );
  }
  const excluded = FINGERPRINT_EXCLUDED[contract.name];
  const unknown = Object.keys(excluded).filter((name) => indexOf(name) === -1);
  if (unknown.length > 0) {
    throw new RecordIdentityError(
      `Fingerprint exclusions of ${contract.name} name columns the contract does not have: ${unknown.join(', ')}.`,
    );
  }
  return {
    dataset: contract.name,
    keyFields,
    keyIndexes,
    fingerprintColumns: columns.flatMap((column, index) =>
      column.name in excluded ? [] : [{ name: column.name, index }],
    ),
  };
}

/**
 * The natural id of a row: the key field's value in NFC, or a JSON array when a key has several fields.
 * Silver and quarantine keep the values as received; only the comparison is normalised.
 */
export function naturalIdOf(identity: RecordIdentity, values: readonly SilverValue[]): string {
  const parts = identity.keyIndexes.map((index) => nfc(String(values[index] ?? '')));
  return parts.length === 1 ? (parts[0] as string) : JSON.stringify(parts);
}

/**
 * Key of a natural key in the dedup key history (`key-history/`).
 * @example dedupKeyOf('transactions', 'acme-bank', 'tx-1') // 'KEY#transactions#acme-bank#tx-1'
 */
export function dedupKeyOf(dataset: DatasetName, partner: string, naturalId: string): string {
  return `KEY#${dataset}#${partner}#${naturalId}`;
}

/** JSON cannot hold a bigint; money and instants are written as their decimal text. */
const canonical = (value: SilverValue): string | number | null =>
  typeof value === 'bigint' ? value.toString() : value;

/**
 * A fingerprinted value: text in NFC, like the key. Otherwise a record re-sent with its id in the other
 * spelling would collide on the key but not on the content, and be quarantined as a conflict with itself.
 */
const fingerprinted = (value: SilverValue): string | number | null =>
  typeof value === 'string' ? nfc(value) : canonical(value);

/**
 * SHA-256 (hex) of a row's canonical record: `[name, value]` pairs of the fingerprint columns in contract order,
 * as JSON, with INT64 values as decimal text and text in NFC. Names are included so a column added by a later
 * contract version changes the fingerprint instead of shifting values.
 */
export function fingerprintOf(identity: RecordIdentity, values: readonly SilverValue[]): string {
  const pairs = identity.fingerprintColumns.map(({ name, index }) => [
    name,
    fingerprinted(values[index] ?? null),
  ]);
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
}

/** The business columns of a row as JSON-safe values (bigint as text), for quarantine entries. */
export function recordOf(contract: DatasetContract, values: readonly SilverValue[]): Record<string, unknown> {
  return Object.fromEntries(
    contract.silverColumns.map((column, index) => [column.name, canonical(values[index] ?? null)]),
  );
}
