/**
 * Partner registry: what each banking partner or processor delivers and how to read it.
 * Data, not code: adding a partner is a reviewed change here.
 */
export type DatasetName = 'transactions' | 'settlements';

export interface PartnerDatasetSpec {
  /** Contract version files of this partner are validated against. */
  readonly schemaV: number;
  /** Whether the control-total trailer line is required (truncation is only detectable with it). */
  readonly trailer: 'required' | 'optional';
}

/**
 * Encodings a partner may declare. The ISO-8859 parts are the real standards (ISO-8859-12 was never published):
 * schema-validate decodes them with its own tables, since WHATWG's TextDecoder reads iso-8859-1 as
 * windows-1252, iso-8859-9 as windows-1254 and iso-8859-11 as windows-874.
 */
export const DECLARED_ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'iso-8859-1',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-9',
  'iso-8859-10',
  'iso-8859-11',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-15',
  'iso-8859-16',
] as const;
export type DeclaredEncoding = (typeof DECLARED_ENCODINGS)[number];

export interface PartnerSpec {
  readonly id: string;
  readonly name: string;
  /** Declared encoding; bytes that are invalid in it reject the file (never silently replaced). */
  readonly encoding: DeclaredEncoding;
  /** IANA zone the partner's business dates are in. */
  readonly timezone: string;
  readonly datasets: Readonly<Partial<Record<DatasetName, PartnerDatasetSpec>>>;
}

export const partners: readonly PartnerSpec[] = [
  {
    id: 'acme-bank',
    name: 'ACME Bank',
    encoding: 'utf-8',
    timezone: 'Europe/Berlin',
    datasets: {
      transactions: { schemaV: 1, trailer: 'required' },
      settlements: { schemaV: 1, trailer: 'required' },
    },
  },
  {
    id: 'globex-pay',
    name: 'Globex Payments',
    encoding: 'utf-8',
    timezone: 'America/New_York',
    datasets: {
      transactions: { schemaV: 1, trailer: 'optional' },
      settlements: { schemaV: 1, trailer: 'optional' },
    },
  },
  {
    id: 'initech-acq',
    name: 'Initech Acquiring',
    encoding: 'windows-1252',
    timezone: 'Asia/Tokyo',
    datasets: {
      transactions: { schemaV: 1, trailer: 'required' },
      settlements: { schemaV: 1, trailer: 'required' },
    },
  },
];

/** Look up a partner; undefined for an unknown id (the file is refused, not guessed). */
export function findPartner(id: string): PartnerSpec | undefined {
  return partners.find((partner) => partner.id === id);
}
