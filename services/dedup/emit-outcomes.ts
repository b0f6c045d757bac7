import { readFile } from 'node:fs/promises';
import type { SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import { readSilverPart } from '../../lib/parquet/silver-part-reader.ts';
import { ownerLineage } from './cross-file.ts';
import type { Run } from './dedup-run.ts';
import { SilverMismatchError } from './errors.ts';
import type { RowLineage } from './ports.ts';
import { recordOf } from './record-identity.ts';

type Verdict = Readonly<Record<string, unknown>>;

const VERDICT_COLUMNS = [
  'row_number',
  'key',
  'fingerprint',
  'other_row',
  'verdict',
  'owner_fingerprint',
  'owner_file_id',
  'owner_run_id',
  'owner_row_number',
  'owner_business_date',
  'owner_sha256',
] as const;

/** The verdicts in row order, a DuckDB chunk at a time (never the whole file in memory). */
async function* verdictsInRowOrder(engine: SetEngine): AsyncGenerator<Verdict> {
  const result = await engine.db.stream(
    `SELECT ${VERDICT_COLUMNS.join(', ')} FROM verdicts ORDER BY row_number`,
  );
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield* chunk.getRowObjects(VERDICT_COLUMNS);
  }
}

/**
 * Write every row to the outcome its verdict names, in file order: unique rows to the unique Parquet parts,
 * duplicates and conflicts to their quarantine entries, each row's control amount to its outcome's totals.
 * The silver parts are read again (from the staged copies) for the values; each row must meet its verdict.
 */
export async function emitOutcomes(run: Run, engine: SetEngine, partPaths: readonly string[]): Promise<void> {
  const verdicts = verdictsInRowOrder(engine);
  for (const path of partPaths) {
    const rows = await readSilverPart(new Uint8Array(await readFile(path)), run.contract);
    for (let index = 0; index < rows.length; index += 1) {
      const next = await verdicts.next();
      const rowNumber = rows.rowNumber(index);
      if (next.done || Number(next.value.row_number) !== rowNumber)
        throw new SilverMismatchError(
          run.input.fileId,
          `row ${rowNumber} is out of file order in the silver parts`,
        );
      await emitRow(run, next.value, rows.values(index), rowNumber);
    }
  }
  if (!(await verdicts.next()).done)
    throw new SilverMismatchError(run.input.fileId, 'the silver parts changed while they were read');
}

async function emitRow(run: Run, verdict: Verdict, values: SilverValue[], rowNumber: number): Promise<void> {
  const amount = run.amountOf(values, rowNumber);
  const key = String(verdict.key);
  const fingerprint = String(verdict.fingerprint);
  const row = lineageOf(run, rowNumber);
  const naturalKey = naturalKeyOf(run, values);
  switch (verdict.verdict) {
    case 'claim':
    case 'own':
      run.totals.add('unique', amount);
      if (run.unique.append(values, rowNumber)) await run.unique.flush();
      return;
    case 'duplicate':
    case 'duplicate-across': {
      run.totals.add('duplicates', amount);
      const within = verdict.verdict === 'duplicate';
      const of = within ? lineageOf(run, Number(verdict.other_row)) : ownerLineage(verdict);
      const scope = within ? 'within-file' : 'cross-file';
      if (run.duplicates.add({ kind: 'duplicate', scope, key, naturalKey, fingerprint, row, of }))
        await run.duplicates.flush();
      return;
    }
    case 'conflict':
    case 'conflict-across': {
      run.totals.add('conflicts', amount);
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
      return;
    }
    default:
      throw new Error(`Row ${rowNumber} has no dedup verdict (${String(verdict.verdict)}); this is a bug.`);
  }
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
