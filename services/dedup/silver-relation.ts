import {
  type DatasetContract,
  type SilverType,
  silverColumnsOf,
} from '../../contracts/datasets/dataset-contract.ts';
import { sqlName, sqlPaths } from '../../lib/duckdb/set-engine.ts';

/** The DuckDB type `read_parquet` gives each silver Parquet type (instants are UTC-adjusted). */
const DUCKDB_TYPE: Readonly<Record<SilverType, string>> = {
  STRING: 'VARCHAR',
  INT32: 'INTEGER',
  INT64: 'BIGINT',
  DATE: 'DATE',
  TIMESTAMP_MICROS: 'TIMESTAMPTZ',
};

/**
 * A file's staged silver parts as one relation with the contract's columns and lineage. A validated file whose
 * rows were all quarantined has no part: then an empty relation of the same columns and types, so every later
 * step (and the one empty unique part readers rely on) works the same.
 */
export function silverRelation(contract: DatasetContract, partPaths: readonly string[]): string {
  if (partPaths.length > 0) return `read_parquet(${sqlPaths(partPaths)})`;
  const columns = silverColumnsOf(contract).map(
    (column) => `NULL::${DUCKDB_TYPE[column.type]} AS ${sqlName(column.name)}`,
  );
  return `(SELECT ${columns.join(', ')} WHERE false)`;
}
