import { gzipSync } from 'node:zlib';
import type { RejectionCode } from '../../contracts/events/file-rejected.ts';
import { csvLine, joinLines, trailerLine } from './csv.ts';
import { encodeWindows1252 } from './encoding.ts';
import { TRANSACTION_COLUMNS } from './rows.ts';

/** A card number the corpus hides in places; Luhn-valid (a Mastercard test number). */
export const CORPUS_PAN = '5555555555554444';

/** Where a hostile delivery must end. */
export type HostileOutcome =
  /** file-landing refuses the delivery itself (no file id): the key is the problem. */
  | { stage: 'landing'; code: RejectionCode }
  /** schema-validate refuses the whole file. */
  | { stage: 'validation'; code: RejectionCode }
  /** The file is validated; these rows are quarantined with these fields and reasons, the rest are valid. */
  | {
      stage: 'validated';
      valid: number;
      quarantined: { field: string | null; reason: RegExp }[];
    };

export interface HostileCase {
  name: string;
  /** What makes it hostile, as the outside test found it. */
  hazard: string;
  landingKey: string;
  bytes: Uint8Array;
  expected: HostileOutcome;
  /** The landed copy must be under `restricted/` (it may hold a card number), never in raw. */
  restricted: boolean;
}

const DATE = '2026-11-22';
const AT = `${DATE}T10:00:00+01:00`;
const key = (partner: string, name: string) => `inbound/${partner}/transactions/${DATE}/hostile-${name}.csv`;

type Row = string[];

/** A valid transactions row; `over` replaces columns by name. */
function row(id: string, over: Partial<Record<(typeof TRANSACTION_COLUMNS)[number], string>> = {}): Row {
  const base: Record<string, string> = {
    transaction_id: id,
    type: 'payment',
    amount: '10.00',
    currency: 'EUR',
    occurred_at: AT,
    merchant_id: 'm_hostile',
    settlement_reference: '',
    card_number: '',
    ...over,
  };
  return TRANSACTION_COLUMNS.map((column) => base[column] as string);
}

/** Five clean rows of one case (ids unique per case, so every file has its own content). */
const clean = (name: string, count = 5): Row[] =>
  Array.from({ length: count }, (_, index) => row(`tx_${name}_${index + 1}`));

/** Header, rows and a trailer that sums `sums` (default: the EUR rows as sent). */
function document(rows: Row[], options: { trailer?: string | null; lineEnding?: string } = {}): string {
  const lines = [csvLine(TRANSACTION_COLUMNS), ...rows.map((fields) => csvLine(fields))];
  const trailer = options.trailer === undefined ? trailerOf(rows) : options.trailer;
  if (trailer !== null) lines.push(trailer);
  return joinLines(lines, options.lineEnding ?? '\n');
}

function trailerOf(rows: Row[]): string {
  const cents = rows.reduce((sum, fields) => sum + BigInt((fields[2] as string).replace('.', '')), 0n);
  const text = cents.toString().padStart(3, '0');
  return trailerLine(rows.length, `EUR=${text.slice(0, -2)}.${text.slice(-2)}`);
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string, bom: boolean) =>
  new Uint8Array(Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le'));

/**
 * The hostile-input corpus: each class of delivery the outside test used (card numbers hidden in encodings, glued
 * to text, in keys and totals; bytes an encoding leaves undefined; double-encoded text; control, bidi and
 * zero-width characters; impossible and implausible timestamps; compressed and binary files; odd line breaks),
 * each with the one outcome finledger documents for it.
 * @example hostileCorpus().find((c) => c.name === 'gzip')?.expected // { stage: 'validation', code: 'COMPRESSED_OR_BINARY_FILE' }
 */
export function hostileCorpus(): HostileCase[] {
  const acme = (name: string) => key('acme-bank', name);
  const globex = (name: string) => key('globex-pay', name);
  const initech = (name: string) => key('initech-acq', name);
  const quarantinedOne = (
    name: string,
    bad: Row,
    field: string,
    reason: RegExp,
  ): Pick<HostileCase, 'bytes' | 'expected'> => ({
    bytes: utf8(document([...clean(name), bad], { trailer: null })),
    expected: { stage: 'validated', valid: 5, quarantined: [{ field, reason }] },
  });
  const cases: HostileCase[] = [
    {
      name: 'pan-in-utf16le',
      hazard: 'a card number in UTF-16LE text escapes a byte scan that expects ASCII digits',
      landingKey: acme('pan-in-utf16le'),
      bytes: utf16le(document([...clean('u16'), row('tx_u16_card', { card_number: CORPUS_PAN })]), true),
      expected: { stage: 'validation', code: 'ENCODING_MISMATCH' },
      restricted: true,
    },
    {
      name: 'pan-glued-to-letters',
      hazard: 'a card number glued to letters and _ inside another field',
      landingKey: globex('pan-glued-to-letters'),
      ...quarantinedOne(
        'glued',
        row('tx_glued_card', { merchant_id: `m_${CORPUS_PAN}x` }),
        'merchant_id',
        /card number/,
      ),
      restricted: true,
    },
    {
      name: 'pan-in-file-name',
      hazard: 'a card number in the file name is echoed into keys, records, events and the report',
      landingKey: `inbound/acme-bank/transactions/${DATE}/card-${CORPUS_PAN}.csv`,
      bytes: utf8(document(clean('fname'))),
      expected: { stage: 'landing', code: 'CARD_NUMBER_IN_OBJECT_KEY' },
      restricted: true,
    },
    {
      name: 'pan-in-unroutable-key',
      hazard: 'a card number in a key that is then rejected as unroutable',
      landingKey: `inbound/${CORPUS_PAN}/anything.bin`,
      bytes: utf8('not a partner file\n'),
      expected: { stage: 'landing', code: 'CARD_NUMBER_IN_OBJECT_KEY' },
      restricted: true,
    },
    {
      name: 'pan-as-trailer-sum',
      hazard: 'a trailer whose sum is a card number is quoted in the rejection reason',
      landingKey: acme('pan-as-trailer-sum'),
      bytes: utf8(
        document(clean('tsum'), {
          trailer: `TRAILER,5,EUR=${CORPUS_PAN.slice(0, -2)}.${CORPUS_PAN.slice(-2)}`,
        }),
      ),
      expected: { stage: 'validation', code: 'TRAILER_MISMATCH' },
      restricted: true,
    },
    {
      name: 'pan-as-amount',
      hazard: 'a row whose amount is a card number is quarantined but its amount entered the totals',
      landingKey: globex('pan-as-amount'),
      ...quarantinedOne(
        'amount',
        row('tx_amount_card', { amount: CORPUS_PAN, currency: 'JPY' }),
        'amount',
        /card number/,
      ),
      restricted: true,
    },
    {
      name: 'utf8-from-windows-1252-partner',
      hazard: 'UTF-8 bytes from a windows-1252 partner become mojibake in silver',
      landingKey: initech('utf8-from-windows-1252-partner'),
      bytes: utf8(document([...clean('moji'), row('tx_moji_6', { merchant_id: 'm_Zürich_café' })])),
      expected: {
        stage: 'validated',
        valid: 5,
        quarantined: [{ field: 'merchant_id', reason: /double-encoded UTF-8/ }],
      },
      restricted: false,
    },
    ...[0x81, 0x8d, 0x8f, 0x90, 0x9d].map(
      (byte): HostileCase => ({
        name: `windows-1252-undefined-0x${byte.toString(16)}`,
        hazard: 'a byte windows-1252 leaves undefined becomes a C1 control character',
        landingKey: initech(`undefined-0x${byte.toString(16)}`),
        bytes: (() => {
          const text = document([...clean(`u${byte}`), row(`tx_u${byte}_6`, { merchant_id: 'm_XX' })]);
          const bytes = encodeWindows1252(text);
          bytes[bytes.indexOf(0x58)] = byte;
          return bytes;
        })(),
        expected: { stage: 'validation', code: 'ENCODING_INVALID' },
        restricted: false,
      }),
    ),
    {
      name: 'nul-in-field',
      hazard: 'a NUL byte inside a field is kept',
      landingKey: globex('nul-in-field'),
      ...quarantinedOne(
        'nul',
        row('tx_nul_6', { merchant_id: 'm_\u0000x' }),
        'merchant_id',
        /NUL character \(U\+0000\)/,
      ),
      restricted: false,
    },
    {
      name: 'year-0050',
      hazard: 'a year 0000-0099 is stored as 1900-1999',
      landingKey: globex('year-0050'),
      ...quarantinedOne(
        'y50',
        row('tx_y50_6', { occurred_at: '0050-11-22T10:00:00Z' }),
        'occurred_at',
        /is before 2000-01-01/,
      ),
      restricted: false,
    },
    {
      name: 'year-9999',
      hazard: '9999-12-31 passes with no plausibility check',
      landingKey: globex('year-9999'),
      ...quarantinedOne(
        'y9999',
        row('tx_y9999_6', { occurred_at: '9999-12-31T23:59:59Z' }),
        'occurred_at',
        /after the file's business date/,
      ),
      restricted: false,
    },
    {
      name: 'bidi-override-in-id',
      hazard: 'a bidi override in an id passes',
      landingKey: globex('bidi-override-in-id'),
      ...quarantinedOne('bidi', row('tx_bidi_\u202e6'), 'transaction_id', /bidi/i),
      restricted: false,
    },
    {
      name: 'zero-width-twin',
      hazard: 'a zero-width twin of an id escapes dedup',
      landingKey: globex('zero-width-twin'),
      ...quarantinedOne('zw', row('tx_zw_\u200b1'), 'transaction_id', /zero-width|invisible/i),
      restricted: false,
    },
    {
      name: 'formula-prefixes',
      hazard: 'spreadsheet formula prefixes pass into text fields',
      landingKey: globex('formula-prefixes'),
      bytes: utf8(
        document(
          [
            ...clean('formula', 2),
            row('tx_formula_3', { merchant_id: '=HYPERLINK("http://x")' }),
            row('tx_formula_4', { merchant_id: '+cmd' }),
            row('tx_formula_5', { merchant_id: '@SUM(A1)' }),
          ],
          { trailer: null },
        ),
      ),
      // Valid, so stored as received (silver, gold) and in no export today. Every CSV export neutralises such
      // cells: the one there is, `finledger quarantine --csv` (quarantined rows), passes each text cell through
      // lib/text/spreadsheet-safe.ts (test/pipeline/quarantine-export.integration.test.ts); a new one must too.
      expected: { stage: 'validated', valid: 5, quarantined: [] },
      restricted: false,
    },
    {
      name: 'gzip',
      hazard: 'gzip input reported as invalid UTF-8 at byte 1',
      landingKey: acme('gzip'),
      bytes: new Uint8Array(gzipSync(utf8(document(clean('gz'))))),
      expected: { stage: 'validation', code: 'COMPRESSED_OR_BINARY_FILE' },
      restricted: false,
    },
    {
      name: 'gzip-to-windows-1252-partner',
      hazard: 'gzip sent to a windows-1252 partner reported as a wrong delimiter',
      landingKey: initech('gzip'),
      bytes: new Uint8Array(gzipSync(utf8(document(clean('gz1252'))))),
      expected: { stage: 'validation', code: 'COMPRESSED_OR_BINARY_FILE' },
      restricted: false,
    },
    {
      name: 'zip',
      hazard: 'a zip archive (or xlsx) instead of CSV',
      landingKey: acme('zip'),
      bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8(document(clean('zip')))]),
      expected: { stage: 'validation', code: 'COMPRESSED_OR_BINARY_FILE' },
      restricted: false,
    },
    {
      name: 'pdf',
      hazard: 'a PDF instead of CSV',
      landingKey: acme('pdf'),
      bytes: utf8('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n'),
      expected: { stage: 'validation', code: 'COMPRESSED_OR_BINARY_FILE' },
      restricted: false,
    },
    {
      name: 'utf16le-without-bom',
      hazard: 'UTF-16 reported as invalid UTF-8 at byte 0',
      landingKey: globex('utf16le-without-bom'),
      bytes: utf16le(document(clean('u16nobom'), { trailer: null }), false),
      expected: { stage: 'validation', code: 'ENCODING_MISMATCH' },
      restricted: false,
    },
    {
      name: 'cr-only-line-breaks',
      hazard: 'CR-only line endings reported as a quoting problem',
      landingKey: acme('cr-only-line-breaks'),
      bytes: utf8(document(clean('cr'), { lineEnding: '\r' })),
      expected: { stage: 'validation', code: 'CR_ONLY_LINE_BREAKS' },
      restricted: false,
    },
    {
      name: 'february-30',
      hazard: 'an invalid calendar date reported as "must have an offset"',
      landingKey: globex('february-30'),
      ...quarantinedOne(
        'feb30',
        row('tx_feb30_6', { occurred_at: '2026-02-30T10:00:00Z' }),
        'occurred_at',
        /calendar date/,
      ),
      restricted: false,
    },
    {
      name: 'leap-second',
      hazard: 'a leap second reported as "must have an offset"',
      landingKey: globex('leap-second'),
      ...quarantinedOne(
        'leap',
        row('tx_leap_6', { occurred_at: '2026-11-22T23:59:60Z' }),
        'occurred_at',
        /leap second/,
      ),
      restricted: false,
    },
    {
      name: 'blank-line-before-trailer',
      hazard: 'a blank line before the trailer made the trailer count mismatch',
      landingKey: acme('blank-line-before-trailer'),
      bytes: utf8(document(clean('blank')).replace('\nTRAILER', '\n\nTRAILER')),
      expected: { stage: 'validated', valid: 5, quarantined: [] },
      restricted: false,
    },
  ];
  return cases;
}
