/** Thrown when required configuration is missing, naming the variable so the operator can set it. */
export class MissingConfigError extends Error {
  constructor(readonly variable: string) {
    super(
      `Environment variable ${variable} is not set. Set it in the function's environment (stacks/) or the local runtime.`,
    );
    this.name = 'MissingConfigError';
  }
}

/** Read a required environment variable once; fail fast with its name. */
export function requireEnv(variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  if (value === undefined || value === '') throw new MissingConfigError(variable);
  return value;
}

/** Read an optional numeric environment variable, rejecting non-numbers instead of guessing. */
export function numberFromEnv(
  variable: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new Error(`Environment variable ${variable}="${value}" is not a number.`);
  return parsed;
}

/**
 * Read an optional count (rows, bytes, days) from the environment: a whole number of at least `atLeast`, else an
 * error naming the variable and its default.
 * @example countFromEnv('FINLEDGER_DEDUP_UNIT_ROWS', 5_000_000, 1) // 150 when the variable is '150'
 */
export function countFromEnv(
  variable: string,
  fallback: number,
  atLeast: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const count = numberFromEnv(variable, fallback, env);
  if (!Number.isInteger(count) || count < atLeast)
    throw new Error(
      `Environment variable ${variable}=${count} must be a whole number of at least ${atLeast}; unset it for the default, ${fallback}.`,
    );
  return count;
}
