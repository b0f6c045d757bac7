import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** Limits one set-engine session runs within: the same in Lambda (/tmp, function memory) and offline. */
export interface SetEngineLimits {
  /** DuckDB `memory_limit`, e.g. '1GB': past it, operators spill to `temp_directory`. */
  readonly memoryLimit: string;
  readonly threads: number;
}

/** Leaves room for Node, the SDK and the output writers beside DuckDB in a 2 GB function. */
export const DEFAULT_SET_ENGINE_LIMITS: SetEngineLimits = { memoryLimit: '1GB', threads: 2 };

/** A DuckDB session with its own scratch folder: staged inputs, spill files and written outputs. */
export interface SetEngine {
  readonly db: DuckDBConnection;
  /** Scratch folder, removed when the session ends. */
  readonly folder: string;
  /** Write bytes (a staged S3 object) under the scratch folder and return the local path. */
  stage(name: string, bytes: Uint8Array): Promise<string>;
}

/**
 * Run `work` in a fresh in-memory DuckDB with a memory limit and spill to a private scratch folder (Lambda's
 * /tmp or the OS temp dir offline), then close it and remove the folder, whatever happens.
 * @example const n = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, (engine) => count(engine.db))
 */
export async function withSetEngine<T>(
  limits: SetEngineLimits,
  work: (engine: SetEngine) => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'finledger-set-'));
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: limits.memoryLimit,
    threads: String(limits.threads),
    temp_directory: join(folder, 'spill'),
    // Extensions are linked in (parquet, json, icu); nothing may be downloaded at run time.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const db = await instance.connect();
  try {
    return await work({
      db,
      folder,
      stage: async (name, bytes) => {
        const path = join(folder, name);
        await writeFile(path, bytes);
        return path;
      },
    });
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * A SQL string literal.
 * @example sqlText("o'brien") // "'o''brien'"
 */
export const sqlText = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * A quoted SQL identifier.
 * @example sqlName('amount_minor') // '"amount_minor"'
 */
export const sqlName = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A list of local Parquet paths as a `read_parquet` argument. */
export const sqlPaths = (paths: readonly string[]): string => `[${paths.map(sqlText).join(', ')}]`;
