import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { maskCardNumbers } from '../lib/card-data/card-numbers.ts';
import { formatLogLine, type RuntimeLogger } from './logger.ts';

/** The runtime log of a state folder: `<stateDir>/logs/runtime.jsonl`, rotated beside it. */
export function runtimeLogPath(stateDir: string): string {
  return join(runtimeLogDir(stateDir), 'runtime.jsonl');
}

/** Every log file of a state folder lives here (the current file and its rotations). */
export function runtimeLogDir(stateDir: string): string {
  return join(stateDir, 'logs');
}

/** A log file the runtime appends to; `close` once the runtime has stopped (later lines are dropped). */
export interface LogFile extends RuntimeLogger {
  readonly path: string;
  close(): void;
}

export interface LogFileOptions {
  /** Size at which the file is rotated (default 10 MiB). */
  readonly maxBytes?: number;
  /** Rotated files kept (at least 1): `runtime.1.jsonl` (newest) … `runtime.<keep>.jsonl` (default 3). */
  readonly keep?: number;
}

/**
 * Append JSON log lines (the same lines `consoleLogger` writes to stderr) to `path`, bounded: a line that would
 * take the file past `maxBytes` first rotates it (`runtime.jsonl` → `runtime.1.jsonl` → … → `runtime.<keep>.jsonl`,
 * the oldest overwritten), so a state folder holds at most (keep + 1) × maxBytes of logs: 40 MiB by default.
 * Every line passes through `maskCardNumbers` first: a log file is stored data, and PCI DSS allows no clear card
 * number in it whatever a caller put in a message. Writes are synchronous, so lines keep their order and survive a
 * crash right after; a failed write is reported once on stderr and never fails the runtime.
 * @example const file = createLogFile(runtimeLogPath(stateDir)); file.info('started'); file.close();
 */
export function createLogFile(path: string, options: LogFileOptions = {}): LogFile {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 3);
  const rotated = (index: number) => path.replace(/(\.jsonl)?$/, `.${index}$1`);
  let fd: number | undefined;
  let size = 0;
  let closed = false;
  let failed = false;

  const open = () => {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a');
    size = fstatSync(fd).size;
  };
  const rotate = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    for (let index = keep - 1; index >= 1; index -= 1) renameIfExists(rotated(index), rotated(index + 1));
    renameSync(path, rotated(1));
    open();
  };
  const append = (level: string, message: string, data?: Record<string, unknown>) => {
    if (closed) return;
    const line = Buffer.from(maskCardNumbers(formatLogLine(level, message, data)), 'utf8');
    try {
      if (fd === undefined) open();
      if (size > 0 && size + line.length > maxBytes) rotate();
      writeSync(fd as number, line);
      size += line.length;
    } catch (error) {
      if (!failed) process.stderr.write(`could not write the runtime log ${path}: ${String(error)}\n`);
      failed = true;
    }
  };
  return {
    path,
    info: (message, data) => append('info', message, data),
    warn: (message, data) => append('warn', message, data),
    error: (message, data) => append('error', message, data),
    close() {
      closed = true;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
