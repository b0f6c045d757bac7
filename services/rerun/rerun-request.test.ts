import { describe, expect, it } from 'vitest';
import { RerunRequestError } from './errors.ts';
import { businessDatesOf, MAX_RERUN_DAYS, parseRerunRequest, scopeText } from './rerun-request.ts';

describe('parseRerunRequest', () => {
  it('lists every business date of an inclusive range across a month end', () => {
    // Act
    const request = parseRerunRequest({ from: '2026-11-29', to: '2026-12-02', dataset: 'settlements' });

    // Assess
    expect(request).toMatchObject({ dataset: 'settlements', partner: null, runId: null });
    expect(request.dates).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('takes a month of dates (a leap February)', () => {
    expect(businessDatesOf('2028-02-01', '2028-02-29')).toHaveLength(29);
  });

  it.each([
    ['a missing --from', { to: '2026-11-20' }, '--from must be a business date'],
    [
      'a date that is not YYYY-MM-DD',
      { from: '20261120', to: '2026-11-20' },
      '--from must be a business date',
    ],
    ['a date that is not on the calendar', { from: '2026-02-30', to: '2026-03-01' }, 'not a calendar date'],
    ['--from after --to', { from: '2026-11-21', to: '2026-11-20' }, 'is after --to'],
    [
      'a range longer than a run covers',
      { from: '2026-01-01', to: '2026-12-31' },
      `at most ${MAX_RERUN_DAYS}`,
    ],
    ['an unknown dataset', { from: '2026-11-20', to: '2026-11-20', dataset: 'refunds' }, 'is not one of'],
    ['an unknown partner', { from: '2026-11-20', to: '2026-11-20', partner: 'nobody' }, 'known: acme-bank'],
    [
      'a run id of another shape',
      { from: '2026-11-20', to: '2026-11-20', runId: 'run_1' },
      'is not a run id',
    ],
  ])('refuses %s, saying what to correct', (_name, input, message) => {
    expect(() => parseRerunRequest(input)).toThrow(RerunRequestError);
    expect(() => parseRerunRequest(input)).toThrow(message);
  });

  it('describes a scope in words', () => {
    expect(scopeText({ from: '2026-11-01', to: '2026-11-30', dataset: null, partner: 'acme-bank' })).toBe(
      '2026-11-01..2026-11-30, every dataset, partner acme-bank',
    );
  });
});
