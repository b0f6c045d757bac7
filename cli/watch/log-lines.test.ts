import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { describeLandingError, formatBytes, watchLines } from './log-lines.ts';

const PATH = '/drop/acme-bank/transactions/2026-11-19/4111111111111111.csv';
const KEY = 'inbound/acme-bank/transactions/2026-11-19/4111111111111111.csv';

const fsError = (code: string) =>
  Object.assign(new Error(`${code}: something happened, open '${PATH}'`), { code });

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('watch log lines', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1024, '1.0 KiB'],
    [209_715_293, '200.0 MiB'],
    [1024 ** 3, '1.0 GiB'],
  ])('formats %i bytes as "%s"', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('refuses an over-cap file with its path, size, cap and what to ask the partner', () => {
    // Act
    const line = watchLines.overCap(PATH, 2 * 1024 ** 3, 1024 ** 3);

    // Assess
    expect(line).toBe(
      `Not landed: ${PATH.replace('4111111111111111', '************1111')} is 2.0 GiB (2147483648 bytes), over the 1.0 GiB landing cap (1073741824 bytes). ` +
        'The file stays where it is. Next step: ask the partner to split it into files of at most 1.0 GiB.',
    );
  });

  it.each([
    ['vanished', fsError('ENOENT'), /vanished before it was read \(ENOENT\)/, /drop it again/],
    ['unreadable', fsError('EACCES'), /may not read it \(EACCES\)/, /chmod a\+r/],
    ['another file error', fsError('EISDIR'), /could not be read \(EISDIR\)/, /check the file/],
    [
      'refused by S3',
      new S3ServiceException({
        name: 'EntityTooLarge',
        $fault: 'client',
        $metadata: { httpStatusCode: 413 },
        message: `Your proposed upload exceeds the maximum allowed size for ${KEY}`,
      }),
      /landing bucket refused the upload: EntityTooLarge \(HTTP 413\): .*for <file>/,
      /finledger status/,
    ],
    [
      'unreachable endpoint',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      /S3 endpoint could not be reached: connect ECONNREFUSED/,
      /runtime is still running/,
    ],
    [
      'anything else',
      new Error(`Expected 3 part(s) for ${KEY}`),
      /Expected 3 part\(s\) for <file>/,
      /--verbose/,
    ],
  ])('explains a %s file with a cause and a next step, naming the path once', (_case, error, cause, next) => {
    // Act
    const problem = describeLandingError(error, [PATH, KEY]);
    const line = watchLines.failed(PATH, problem);

    // Assess
    expect(problem.cause).toMatch(cause);
    expect(problem.nextStep).toMatch(next);
    expect(line).toContain('The file stays where it is.');
    expect(occurrences(line, '************1111.csv')).toBe(1);
    expect(line).not.toContain('4111111111111111');
  });

  it.each([
    [3, 'Still processing 3 messages; the report follows when idle.'],
    [1, 'Still processing 1 message; the report follows when idle.'],
    [undefined, 'Still processing; the report follows when idle.'],
  ])('reports a wait that timed out with %s pending', (pending, line) => {
    expect(watchLines.stillProcessing(pending)).toBe(line);
  });
});
