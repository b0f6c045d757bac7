import { maskingJsonReplacer } from '../lib/logging/service-logger.ts';
/** The runtime's log sink: three levels, a message and optional structured data. */
export interface RuntimeLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Logs one JSON line per entry to stderr, so stdout stays free for the CLI's own output. */
export const consoleLogger: RuntimeLogger = {
  info: (message, data) => write('info', message, data),
  warn: (message, data) => write('warn', message, data),
  error: (message, data) => write('error', message, data),
};

/** Drops everything; for tests that assert on behaviour rather than on log lines. */
export const silentLogger: RuntimeLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Every entry to each logger, in order (the CLI's stderr logger and a state folder's log file).
 * @example const logger = teeLogger(consoleLogger, createLogFile(runtimeLogPath(stateDir)));
 */
export function teeLogger(...loggers: readonly RuntimeLogger[]): RuntimeLogger {
  return {
    info: (message, data) => {
      for (const logger of loggers) logger.info(message, data);
    },
    warn: (message, data) => {
      for (const logger of loggers) logger.warn(message, data);
    },
    error: (message, data) => {
      for (const logger of loggers) logger.error(message, data);
    },
  };
}

/** One log entry as a JSON line (newline included): level, time, message, then the data's fields. */
export function formatLogLine(level: string, message: string, data?: Record<string, unknown>): string {
  // Log lines are stored data: card numbers in keys, file names or error texts are masked (lib/logging).
  return `${JSON.stringify({ level, time: new Date().toISOString(), message, ...data }, maskingJsonReplacer)}\n`;
}

function write(level: string, message: string, data?: Record<string, unknown>): void {
  process.stderr.write(formatLogLine(level, message, data));
}

/** Error details that survive JSON logging (an `Error` serialises to `{}`). */
export function describeError(error: unknown): { error: string; errorName?: string } {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}
