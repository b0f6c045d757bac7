import { type DatasetName, type PartnerSpec, partners as registeredPartners } from '../../config/partners.ts';

/** Where a landed object belongs, read from an allow-listed landing key. */
export type LandingRoute = {
  partner: string;
  dataset: DatasetName;
  businessDate: string;
  fileName: string;
  schemaV: number;
};

/** Why a key cannot be routed. UNKNOWN_PARTNER only when the layout is right but the partner is not registered. */
export type UnroutableKey = { code: 'UNROUTABLE_KEY' | 'UNKNOWN_PARTNER'; reason: string };

export type LandingKeyResult = { ok: true; route: LandingRoute } | { ok: false; rejection: UnroutableKey };

const LAYOUT = 'inbound/<partner>/<dataset>/<YYYY-MM-DD>/<file name>.csv';
const ASK = 'Ask the partner to re-deliver the file under the documented layout';
const DATASETS: readonly DatasetName[] = ['transactions', 'settlements'];

/** Partner ids as the FileLanded contract accepts them. */
const PARTNER_PATTERN = /^[a-z0-9-]{2,40}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const FILE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,200}$/;
/** Only printable ASCII without spaces or `%`, so no encoded, control or look-alike byte reaches a route. */
const SAFE_KEY_PATTERN = /^[A-Za-z0-9._\-/]+$/;
const MAX_KEY_LENGTH = 400;

/**
 * Route a landing key through the allow-list. The key is only ever matched as text, never used as a path.
 * @example parseLandingKey('inbound/acme-bank/transactions/2026-11-19/tx.csv') // { ok: true, route: {...} }
 */
export function parseLandingKey(
  key: string,
  partners: readonly PartnerSpec[] = registeredPartners,
): LandingKeyResult {
  const unroutable = (detail: string): LandingKeyResult => ({
    ok: false,
    rejection: { code: 'UNROUTABLE_KEY', reason: `Object key does not follow ${LAYOUT}: ${detail}. ${ASK}.` },
  });
  if (key.length > MAX_KEY_LENGTH)
    return unroutable(`it is ${key.length} characters long (at most ${MAX_KEY_LENGTH})`);
  if (!SAFE_KEY_PATTERN.test(key)) {
    return unroutable(
      'it holds characters outside letters, digits, ".", "_", "-" and "/" (spaces, encoded or non-ASCII bytes)',
    );
  }
  const segments = key.split('/');
  if (segments.length !== 5 || segments[0] !== 'inbound') {
    return unroutable(`it has ${segments.length} segments or does not start with "inbound/"`);
  }
  const [, partnerId = '', dataset = '', businessDate = '', fileName = ''] = segments;
  if (!PARTNER_PATTERN.test(partnerId)) return unroutable('the partner segment is not 2-40 of [a-z0-9-]');
  if (!isDatasetName(dataset)) return unroutable(`the dataset segment is not one of ${DATASETS.join(', ')}`);
  if (!isCalendarDate(businessDate))
    return unroutable('the business date is not a real calendar date YYYY-MM-DD');
  const nameProblem = fileNameProblem(fileName);
  if (nameProblem) return unroutable(nameProblem);

  const partner = partners.find((candidate) => candidate.id === partnerId);
  if (!partner) {
    return {
      ok: false,
      rejection: {
        code: 'UNKNOWN_PARTNER',
        reason: `Partner "${partnerId}" is not registered in config/partners.ts. Register the partner (reviewed change) or ask who uploaded to this prefix.`,
      },
    };
  }
  const spec = partner.datasets[dataset];
  if (!spec) {
    return unroutable(`partner "${partnerId}" does not deliver ${dataset} according to config/partners.ts`);
  }
  return { ok: true, route: { partner: partnerId, dataset, businessDate, fileName, schemaV: spec.schemaV } };
}

/** True for a real Gregorian date written YYYY-MM-DD (rejects 2026-02-30, 2026-13-01). */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isDatasetName(value: string): value is DatasetName {
  return (DATASETS as readonly string[]).includes(value);
}

function fileNameProblem(fileName: string): string | undefined {
  if (!FILE_NAME_PATTERN.test(fileName)) return 'the file name is not 1-200 of [A-Za-z0-9._-]';
  if (fileName.startsWith('.') || fileName.includes('..'))
    return 'the file name starts with "." or contains ".."';
  if (!fileName.endsWith('.csv') || fileName.length === '.csv'.length)
    return 'the file name does not end in ".csv"';
  return undefined;
}
