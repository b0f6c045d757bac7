import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quarantineCommand } from './quarantine.ts';

describe('finledger quarantine', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['an unknown flag', ['--bogus'], /Unknown option '--bogus'/],
    ['a positional argument', ['acme-bank'], /positional argument/],
    ['both --csv and --json', ['--csv', '--json'], /--csv and --json are exclusive/],
    ['a date that is not YYYY-MM-DD', ['--date', '20-11-2026'], /--date 20-11-2026 is not a date/],
    ['a date that does not exist', ['--date', '2026-02-30'], /--date 2026-02-30 is not a date/],
    [
      'an unknown dataset',
      ['--dataset', 'refunds'],
      /--dataset refunds is not one of transactions, settlements/,
    ],
    [
      'a state folder that does not exist',
      ['--state-dir', join(tmpdir(), 'finledger-no-such-state-folder')],
      /no state folder at/,
    ],
  ])('exits 2 without starting a runtime on %s', async (_name, args, message) => {
    // Prepare
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const code = await quarantineCommand(args, tmpdir());

    // Assess
    expect(code).toBe(2);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(stderr.mock.calls[0]?.[0]).toMatch(/^quarantine: /);
    expect(stderr.mock.calls[0]?.[0]).toMatch(message);
  });
});
