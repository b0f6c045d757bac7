import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SilverColumn, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { DedupTotals } from '../../contracts/events/records-deduplicated.ts';
import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import { sqlName, sqlText } from '../../lib/duckdb/set-engine.ts';
import { ownerLineage } from './cross-file.ts';
import type { Run } from './dedup-run.ts';
import { SilverMismatchError } from './errors.ts';
import type { RowLineage } from './ports.ts';
import { recordOf } from './record-identity.ts';

/** Verdicts whose row stays in silver. */
const KEPT = `('claim', 'own')`;

/** A silver column as the JavaScript silver value (`readSilverPart`): instants as bigint micros, dates as epoch days. */
const silverValueSql = (column: SilverColumn): string => {
  const name = `s.${sqlName(column.name)}`;
  if (column.type === 'TIMESTAMP_MICROS') return `epoch_us(${name}) AS ${sqlName(column.name)}`;
  if (column.type === 'DATE') return `(${name} - DATE '1970-01-01')::INTEGER AS ${sqlName(column.name)}`;
  return name;
};

/**
 * Write every row to the outcome its verdict names, as set work: the unique rows straight from `silver` (the staged
 * parts, or a unit's slice of them) to Parquet parts of `partRows` rows in file order (same columns and lineage: the
 * dedup run is the validation run), the totals of each outcome per currency as one GROUP BY, and the few duplicates and conflicts
 * as quarantine entries streamed in row order. Returns the totals.
 */
export async function writeOutcomes(run: Run, engine: SetEngine, silver: string): Promise<DedupTotals> {
  // The part sequence is numbered over the narrow verdicts, not the joined rows: a window sorting every silver
  // column cost four times the rest of this statement.
  await engine.db.run(`
    CREATE TABLE outcome_rows AS
    SELECT s.*, v.verdict, v.seq
    FROM ${silver} s JOIN (
      SELECT row_number, verdict, row_number() OVER (PARTITION BY verdict IN ${KEPT} ORDER BY row_number) - 1 AS seq
      FROM verdicts
    ) v ON v.row_number = s._row_number`);
  const totals = await outcomeTotals(run, engine);
  await writeUniqueParts(run, engine);
  await writeEntries(run, engine);
  return totals;
}

/** Rows and control amounts per outcome and currency; a row without an INT64 amount and a currency is refused. */
async function outcomeTotals(run: Run, engine: SetEngine): Promise<DedupTotals> {
  const amount = sqlName(run.contract.control.silverAmountColumn);
  const currency = sqlName(run.contract.control.silverCurrencyColumn);
  const missing = await engine.db.runAndReadAll(
    `SELECT min(_row_number) FROM outcome_rows WHERE ${amount} IS NULL OR ${currency} IS NULL`,
  );
  const line = missing.getRows()[0]?.[0];
  if (line !== null && line !== undefined)
    throw new SilverMismatchError(
      run.input.fileId,
      `row ${Number(line)} holds no INT64 ${run.contract.control.silverAmountColumn} with a ${run.contract.control.silverCurrencyColumn}`,
    );
  const grouped = await engine.db.runAndReadAll(`
    SELECT CASE WHEN verdict IN ${KEPT} THEN 'unique'
                WHEN verdict IN ('duplicate', 'duplicate-across') THEN 'duplicates'
                ELSE 'conflicts' END AS outcome,
           ${currency} AS currency, count(*)::BIGINT AS rows, sum(${amount})::VARCHAR AS total
    FROM outcome_rows GROUP BY ALL ORDER BY outcome, currency`);
  const totals: DedupTotals = {
    unique: { rowCount: 0, sums: {} },
    duplicates: { rowCount: 0, sums: {} },
    conflicts: { rowCount: 0, sums: {} },
  };
  for (const [outcome, code, rows, total] of grouped.getRows()) {
    const bucket = totals[outcome as keyof DedupTotals];
    bucket.rowCount += Number(rows);
    bucket.sums[String(code)] = String(total);
  }
  return totals;
}

/** Unique rows in file order, `partRows` per part; one empty part when none is unique, so readers get the schema. */
async function writeUniqueParts(run: Run, engine: SetEngine): Promise<void> {
  const counted = await engine.db.runAndReadAll(
    `SELECT count(*)::BIGINT FROM outcome_rows WHERE verdict IN ${KEPT}`,
  );
  const unique = Number(counted.getRows()[0]?.[0] ?? 0);
  const partRows = run.config.partRows;
  for (let start = 0; start === 0 || start < unique; start += partRows) {
    const path = join(engine.folder, `unique-${start}.parquet`);
    await engine.db.run(
      `COPY (SELECT * EXCLUDE (verdict, seq) FROM outcome_rows
             WHERE verdict IN ${KEPT} AND seq >= ${start} AND seq < ${start + partRows} ORDER BY seq)
       TO ${sqlText(path)} (FORMAT parquet, COMPRESSION snappy)`,
    );
    await run.unique.putPart(new Uint8Array(await readFile(path)), Math.min(partRows, unique - start));
  }
}

/** Duplicates and conflicts as quarantine entries, in row order, a DuckDB chunk at a time. */
async function writeEntries(run: Run, engine: SetEngine): Promise<void> {
  const columns = run.contract.silverColumns;
  const result = await engine.db.stream(`
    SELECT v.row_number, v.key, v.fingerprint, v.other_row, v.verdict, v.owner_fingerprint, v.owner_file_id,
           v.owner_run_id, v.owner_row_number, v.owner_business_date, v.owner_sha256,
           ${columns.map(silverValueSql).join(', ')}
    FROM outcome_rows s JOIN verdicts v ON v.row_number = s._row_number
    WHERE s.verdict NOT IN ${KEPT} ORDER BY v.row_number`);
  const names = result.columnNames();
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRowObjects(names)) {
      const values = columns.map((column) => (row[column.name] ?? null) as SilverValue);
      await writeEntry(run, row, values);
    }
  }
  await run.duplicates.flush();
  await run.conflicts.flush();
}

async function writeEntry(
  run: Run,
  verdict: Readonly<Record<string, unknown>>,
  values: SilverValue[],
): Promise<void> {
  const rowNumber = Number(verdict.row_number);
  const key = String(verdict.key);
  const fingerprint = String(verdict.fingerprint);
  const row = lineageOf(run, rowNumber);
  const naturalKey = naturalKeyOf(run, values);
  if (verdict.verdict === 'duplicate' || verdict.verdict === 'duplicate-across') {
    const within = verdict.verdict === 'duplicate';
    const of = within ? lineageOf(run, Number(verdict.other_row)) : ownerLineage(verdict);
    const scope = within ? 'within-file' : 'cross-file';
    if (run.duplicates.add({ kind: 'duplicate', scope, key, naturalKey, fingerprint, row, of }))
      await run.duplicates.flush();
    return;
  }
  if (verdict.verdict !== 'conflict' && verdict.verdict !== 'conflict-across')
    throw new Error(`Row ${rowNumber} has no dedup verdict (${String(verdict.verdict)}); this is a bug.`);
  const within = verdict.verdict === 'conflict';
  const other = within
    ? { ...lineageOf(run, Number(verdict.other_row)), fingerprint: null }
    : { ...ownerLineage(verdict), fingerprint: String(verdict.owner_fingerprint) };
  const entry = {
    kind: 'conflict' as const,
    scope: within ? ('within-file' as const) : ('cross-file' as const),
    key,
    naturalKey,
    row: { ...row, fingerprint },
    other,
    record: recordOf(run.contract, values),
  };
  if (run.conflicts.add(entry)) await run.conflicts.flush();
}

/** Lineage of a row of this file. */
function lineageOf(run: Run, rowNumber: number): RowLineage {
  const { input } = run;
  return {
    fileId: input.fileId,
    runId: input.runId,
    rowNumber,
    businessDate: input.businessDate,
    sha256: input.sha256,
  };
}

/** The natural key's fields as received, `partner` included. */
function naturalKeyOf(run: Run, values: readonly SilverValue[]): Record<string, string> {
  const fields: Record<string, string> = { partner: run.input.partner };
  run.identity.keyFields.forEach((field, position) => {
    fields[field] = String(values[run.identity.keyIndexes[position] as number] ?? '');
  });
  return fields;
}
