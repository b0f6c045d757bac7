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

export interface PartnerSpec {
  readonly id: string;
  readonly name: string;
  /** Declared encoding; bytes that are invalid in it reject the file (never silently replaced). */
  readonly encoding: 'utf-8' | 'windows-1252';
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
