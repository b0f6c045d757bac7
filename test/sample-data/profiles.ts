/** How the sample generator writes one partner's files (test data only; the contract lives in config/). */
export interface PartnerProfile {
  /** Currencies with weights. */
  currencies: readonly (readonly [string, number])[];
  lineEnding: '\n' | '\r\n';
}

const PROFILES: Readonly<Record<string, PartnerProfile>> = {
  'acme-bank': {
    currencies: [
      ['EUR', 8],
      ['GBP', 1],
      ['USD', 1],
    ],
    lineEnding: '\n',
  },
  'globex-pay': {
    currencies: [
      ['USD', 8],
      ['EUR', 1],
      ['GBP', 1],
    ],
    lineEnding: '\n',
  },
  // A Windows shop: CRLF line endings, windows-1252 files, zero- and three-decimal currencies.
  'initech-acq': {
    currencies: [
      ['JPY', 7],
      ['KWD', 2],
      ['USD', 1],
    ],
    lineEnding: '\r\n',
  },
};

const DEFAULT_PROFILE: PartnerProfile = {
  currencies: [
    ['EUR', 1],
    ['USD', 1],
  ],
  lineEnding: '\n',
};

export const profileOf = (partner: string): PartnerProfile => PROFILES[partner] ?? DEFAULT_PROFILE;

/** Largest amount, in major units, generated per currency. */
export const MAX_MAJOR: Readonly<Record<string, number>> = {
  EUR: 5000,
  USD: 5000,
  GBP: 4000,
  CHF: 5000,
  JPY: 500_000,
  KWD: 1500,
};
