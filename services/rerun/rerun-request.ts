import { type DatasetName, findPartner, partners } from '../../config/partners.ts';
import { DatasetNameSchema } from '../../contracts/events/file-landed.ts';
import { RUN_ID_PATTERN } from '../../lib/file-registry/run-record.ts';
import { RerunRequestError } from './errors.ts';

/** What an operator asks for, as typed (CLI flags or a future handler's input). */
export interface RerunInput {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly dataset?: string | undefined;
  readonly partner?: string | undefined;
  /** Resume this run instead of starting a new one. */
  readonly runId?: string | undefined;
  /** Who asked (recorded on the run), e.g. the operator's login. */
  readonly requestedBy?: string | undefined;
}

/** A checked rerun request: an inclusive range of business dates and optional filters. */
export interface RerunRequest {
  readonly from: string;
  readonly to: string;
  readonly dataset: DatasetName | null;
  readonly partner: string | null;
  readonly runId: string | null;
  readonly requestedBy: string | null;
  /** Every business date of the range, in order. */
  readonly dates: readonly string[];
}

/** A quarter at most per run: 200 files a day is ~18k files, each its own transaction. Longer: several runs. */
export const MAX_RERUN_DAYS = 93;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function calendarDate(field: string, text: string | undefined): Date {
  const match = text === undefined ? null : DATE.exec(text);
  if (!match)
    throw new RerunRequestError(field, `${field} must be a business date YYYY-MM-DD, got "${text ?? ''}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    throw new RerunRequestError(field, `${field} "${text}" is not a calendar date`);
  return date;
}

/**
 * Every business date from `from` to `to`, inclusive.
 * @example businessDatesOf('2026-11-30', '2026-12-02') // ['2026-11-30', '2026-12-01', '2026-12-02']
 */
export function businessDatesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  const day = calendarDate('--from', from);
  const last = calendarDate('--to', to).getTime();
  for (; day.getTime() <= last; day.setUTCDate(day.getUTCDate() + 1))
    dates.push(day.toISOString().slice(0, 10));
  return dates;
}

/**
 * Check an operator's request: real dates, `from` ≤ `to`, at most MAX_RERUN_DAYS, a known dataset and partner, a run
 * id shaped like one. Throws RerunRequestError naming what to correct.
 * @example parseRerunRequest({ from: '2026-11-01', to: '2026-11-30', partner: 'acme-bank' })
 */
export function parseRerunRequest(input: RerunInput): RerunRequest {
  const from = calendarDate('--from', input.from);
  const to = calendarDate('--to', input.to);
  if (from.getTime() > to.getTime())
    throw new RerunRequestError('--from', `--from ${input.from} is after --to ${input.to}`);
  const dates = businessDatesOf(input.from as string, input.to as string);
  if (dates.length > MAX_RERUN_DAYS)
    throw new RerunRequestError(
      '--to',
      `the range holds ${dates.length} business dates; a run covers at most ${MAX_RERUN_DAYS}, so split it into several runs`,
    );
  const dataset = input.dataset === undefined ? null : DatasetNameSchema.safeParse(input.dataset);
  if (dataset && !dataset.success)
    throw new RerunRequestError(
      '--dataset',
      `--dataset "${input.dataset}" is not one of ${DatasetNameSchema.options.join(', ')}`,
    );
  const partner = input.partner === undefined ? null : findPartner(input.partner);
  if (input.partner !== undefined && !partner)
    throw new RerunRequestError(
      '--partner',
      `--partner "${input.partner}" is not registered in config/partners.ts (known: ${partners.map((p) => p.id).join(', ')})`,
    );
  if (partner && dataset?.success && !partner.datasets[dataset.data])
    throw new RerunRequestError('--dataset', `partner ${partner.id} does not deliver ${dataset.data}`);
  if (input.runId !== undefined && !RUN_ID_PATTERN.test(input.runId))
    throw new RerunRequestError(
      '--run-id',
      `--run-id "${input.runId}" is not a run id (run_ and 32 hex digits)`,
    );
  return {
    from: input.from as string,
    to: input.to as string,
    dataset: dataset?.success ? dataset.data : null,
    partner: partner?.id ?? null,
    runId: input.runId ?? null,
    requestedBy: input.requestedBy ?? null,
    dates,
  };
}

/**
 * The range and filters in words, for messages.
 * @example scopeText({ from: '2026-11-01', to: '2026-11-30', dataset: null, partner: 'acme-bank' })
 * // '2026-11-01..2026-11-30, every dataset, partner acme-bank'
 */
export function scopeText(scope: {
  from: string;
  to: string;
  dataset: string | null;
  partner: string | null;
}): string {
  return `${scope.from}..${scope.to}, ${scope.dataset ? `dataset ${scope.dataset}` : 'every dataset'}, ${
    scope.partner ? `partner ${scope.partner}` : 'every partner'
  }`;
}
