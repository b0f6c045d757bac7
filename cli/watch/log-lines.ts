import { S3ServiceException } from '@aws-sdk/client-s3';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';

/**
 * The one place a dropped file's path is formatted for the console: file names may hold card numbers, so it passes
 * the one masking function. No other line prints a path, a landing key or file contents.
 * @example logPath('landing/acme-bank/transactions/2026-11-19/4111111111111111.csv') // '…/************1111.csv'
 */
export function logPath(path: string): string {
  return maskCardNumbers(path);
}

/**
 * A size as people read it (binary units, one decimal).
 * @example formatBytes(209_715_200) // '200.0 MiB'
 */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 'bytes';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return unit === 'bytes' ? `${bytes} bytes` : `${value.toFixed(1)} ${unit}`;
}

/** Why one file could not be landed, and what the operator does about it. */
export interface LandingProblem {
  readonly cause: string;
  readonly nextStep: string;
}

const RETRY = 'it is retried when it changes (touch it to retry as is)';

/** Socket errors: the runtime's S3 endpoint, not the file, is the problem. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Turn an error from reading or uploading one file into a cause and a next step. Error texts are cut free of the
 * file's path and landing key (`<file>`), so only `logPath` ever prints them.
 */
export function describeLandingError(error: unknown, mentions: readonly string[]): LandingProblem {
  const raw = (error as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : undefined;
  const message = scrub(error instanceof Error ? error.message : String(error), mentions);
  if (code === 'ENOENT')
    return {
      cause: 'it vanished before it was read (ENOENT)',
      nextStep: 'nothing to do if it was removed on purpose; drop it again to land it',
    };
  if (code === 'EACCES' || code === 'EPERM')
    return {
      cause: `this process may not read it (${code})`,
      nextStep: `make it readable (e.g. chmod a+r); ${RETRY}`,
    };
  if (error instanceof S3ServiceException)
    return {
      cause: `the landing bucket refused the upload: ${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'}): ${message}`,
      nextStep: `check the runtime's emulators (\`finledger status\`); ${RETRY}`,
    };
  if (code && NETWORK_CODES.has(code))
    return {
      cause: `the S3 endpoint could not be reached: ${message}`,
      nextStep: `check the runtime is still running; ${RETRY}`,
    };
  if (code?.startsWith('E'))
    return { cause: `it could not be read (${code})`, nextStep: `check the file; ${RETRY}` };
  return { cause: message, nextStep: `${RETRY}; run with --verbose for the pipeline's own logs` };
}

function scrub(text: string, mentions: readonly string[]): string {
  return [...mentions]
    .filter((mention) => mention !== '')
    .sort((a, b) => b.length - a.length)
    .reduce((result, mention) => result.replaceAll(mention, '<file>'), text);
}

/** The lines the watcher prints. */
export const watchLines = {
  watching: (folder: string, capBytes: number) =>
    `Watching ${folder}: drop files as <partner>/<dataset>/<YYYY-MM-DD>/<name>.csv (at most ${formatBytes(capBytes)} each). Ctrl-C stops the runtime.`,
  landed: (path: string, sizeBytes: number, method: 'put' | 'multipart') =>
    `Landed ${logPath(path)} (${formatBytes(sizeBytes)}, ${method === 'multipart' ? 'multipart upload' : 'one PUT'}).`,
  overCap: (path: string, sizeBytes: number, capBytes: number) =>
    `Not landed: ${logPath(path)} is ${formatBytes(sizeBytes)} (${sizeBytes} bytes), over the ${formatBytes(capBytes)} landing cap (${capBytes} bytes). ` +
    `The file stays where it is. Next step: ask the partner to split it into files of at most ${formatBytes(capBytes)}.`,
  failed: (path: string, problem: LandingProblem) =>
    `Could not land ${logPath(path)}: ${problem.cause}. The file stays where it is. Next step: ${problem.nextStep}.`,
  changedWhileUploading: (path: string) =>
    `${logPath(path)} changed while it was uploading: it is landed again once it stops changing.`,
  stillProcessing: (messages: number | undefined) =>
    `Still processing${messages === undefined ? '' : ` ${messages} message${messages === 1 ? '' : 's'}`}; the report follows when idle.`,
  reportFailed: (cause: string) =>
    `Could not build the report: ${cause}. Next step: run \`finledger status\` once the runtime is idle.`,
} as const;
