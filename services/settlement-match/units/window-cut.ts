import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import { mapInFlight } from '../../../lib/async/map-in-flight.ts';
import { type SetEngine, sqlName, sqlText } from '../../../lib/duckdb/set-engine.ts';
import { partNumber } from '../../../lib/parquet/part-keys.ts';
import type { MatchingWindow } from '../business-dates.ts';
import { MatchInputError } from '../errors.ts';
import type { DedupRunRef, MatchObjects } from '../ports.ts';
import {
  checkContract,
  columnsSql,
  firstForeignRow,
  partsRelation,
  recordStagedParts,
  type StagedPart,
} from '../sql/window-staging.ts';
import { checkRows, type WindowFile, windowFiles } from '../sql/window-tables.ts';
import { addRowKeys, unitOfRowSql } from './match-units.ts';

/**
 * The planner's side of a window cut into units (issue #11: no invocation holds a window of up to
 * MAX_MATCH_WINDOW_ROWS whole). Rows are named by a 64-bit id, `side << 62 | file_no << 36 | row_number`, so id order
 * is (side, file, row) order and a file's rows are one id range. `readWindowKeys` reads each input part once for its
 * ids and join values (a few integers a row) and checks the preconditions; `assignMatchUnits` cuts the integers;
 * `scatterUnitRows` reads each part again and writes its rows to the units' objects, a bounded batch at a time.
 */

const FILE_SHIFT = 36;
const SIDE_SHIFT = 62;
/** Largest row number an id holds (2^36 - 1, ~68.7 billion: a 50 GiB file holds ~360M rows). */
const MAX_ROW_NUMBER = 2 ** FILE_SHIFT - 1;
/** Most files of one window an id numbers. */
const MAX_FILES = 2 ** (SIDE_SHIFT - FILE_SHIFT);

type Side = 'tx' | 'st';

/** One unique part of the window, in reading order (runs as given, then their parts). */
export interface CutPart {
  readonly ref: ObjectRef;
  readonly file: WindowFile;
}

const sideOf = (file: WindowFile): Side => (file.dataset === 'transactions' ? 'tx' : 'st');

/** The first and last row id of a file: its rows' ids all lie between. */
const fileIdRange = (file: WindowFile): [bigint, bigint] => {
  const first = (BigInt(sideOf(file) === 'tx' ? 0 : 1) << BigInt(SIDE_SHIFT)) | (BigInt(file.fileNo) << 36n);
  return [first, first | BigInt(MAX_ROW_NUMBER)];
};

/** Parts of one side staged together, their lineage in `staged_group`. */
interface StagedGroup {
  readonly side: Side;
  readonly dataset: WindowFile['dataset'];
  readonly parts: readonly StagedPart[];
}

const GROUP_TABLE = 'staged_group';

/**
 * The parts of the window in groups of one side and about `rowsPerGroup` rows (a run's rows spread evenly over its
 * parts), transactions first, each group in reading order: one query reads a group, not one per part.
 */
function groupsOf(parts: readonly CutPart[], rowsOfPart: (part: CutPart) => number, rowsPerGroup: number) {
  const groups: { side: Side; parts: { part: CutPart; partNo: number }[] }[] = [];
  for (const side of ['tx', 'st'] as const) {
    let rows = 0;
    for (const [partNo, part] of parts.entries()) {
      if (sideOf(part.file) !== side) continue;
      const last = groups.at(-1);
      if (!last || last.side !== side || rows + rowsOfPart(part) > rowsPerGroup) {
        groups.push({ side, parts: [] });
        rows = 0;
      }
      (groups.at(-1) as (typeof groups)[number]).parts.push({ part, partNo });
      rows += rowsOfPart(part);
    }
  }
  return groups;
}

/** Download a group's parts (a fresh name each: DuckDB may cache a file it read by its path) and record them. */
async function stageGroup(
  engine: SetEngine,
  group: ReturnType<typeof groupsOf>[number],
  objects: MatchObjects,
  prefix: string,
): Promise<StagedGroup> {
  const staged: StagedPart[] = [];
  for (const { part, partNo } of group.parts)
    staged.push({
      partNo,
      key: part.ref.key,
      file: part.file,
      path: await engine.stage(`${prefix}-${partNo}.parquet`, await objects.getObject(part.ref)),
    });
  await recordStagedParts(engine, staged, GROUP_TABLE);
  const dataset = (group.parts[0] as { part: CutPart }).part.file.dataset;
  return { side: group.side, dataset, parts: staged };
}

async function removeGroup(group: StagedGroup): Promise<void> {
  for (const { path } of group.parts) await rm(path);
}

/** The matched rows of a staged group, each with its `row` id (transactions: the settling ones only). */
function groupRowsSql(group: StagedGroup, settlingTypes: readonly string[]): string {
  const side = group.side === 'tx' ? 0 : 1;
  return `(SELECT (${side}::BIGINT << ${SIDE_SHIFT}) | (file_no::BIGINT << ${FILE_SHIFT}) | row_number AS row, *
    FROM (SELECT ${columnsSql(group.dataset, settlingTypes)} FROM ${partsRelation(group.parts, GROUP_TABLE)})
    ${side === 0 ? 'WHERE settles' : ''})`;
}

/** Ids of `window_rows` as the precondition checks read rows: (side, file_no, row_number). */
const WINDOW_ROW_IDS = `(SELECT row >> ${SIDE_SHIFT} AS side, (row >> ${FILE_SHIFT}) & ${MAX_FILES - 1} AS file_no,
  row & ${MAX_ROW_NUMBER} AS row_number FROM window_rows)`;

/** A part holding another file's row breaks the registry's lineage: refused, naming the part and that row's file. */
async function refuseForeignRows(engine: SetEngine, group: StagedGroup, fail: (detail: string) => never) {
  const foreign = await firstForeignRow(engine, group.parts, GROUP_TABLE);
  if (foreign) fail(`part ${foreign.part.key} holds a row of ${foreign.fileId}`);
}

/** The window's files and parts, and the transactions left out as not settling, once `readWindowKeys` has read them. */
export interface WindowKeys {
  readonly files: readonly WindowFile[];
  readonly parts: readonly CutPart[];
  readonly notSettlingTransactions: number;
}

/** Rows a run's part holds, taken as even: what sizes a group before it is downloaded. */
function partRowsOf(runs: readonly DedupRunRef[]): (part: CutPart) => number {
  const rows = new Map(
    runs.map((run) => [run.fileId, run.uniqueRows / Math.max(1, run.unique.parts.length)]),
  );
  return (part) => rows.get(part.file.fileId) ?? 0;
}

/**
 * Read every unique part of the window once, a group of about `rowsPerGroup` rows on disk at a time, into the
 * tables of row ids and join values `assignMatchUnits` cuts (`addRowKeys`), counting the transactions that do not
 * settle; then check the preconditions `loadWindow` checks (a part holding another file's
 * row, a row outside the window, a row given twice), each a `MatchInputError`. No other column is held; once
 * checked, `window_rows` is needed only by tests (the cut reads keys, the scatter finds rows without one).
 * @example const { parts } = await readWindowKeys(engine, { partner, asOf, window, rules, runs, objects }, 5_000_000)
 */
export async function readWindowKeys(
  engine: SetEngine,
  request: {
    readonly partner: string;
    readonly asOf: string;
    readonly window: MatchingWindow;
    readonly rules: Pick<MatchingRules, 'passes' | 'settlingTypes'>;
    readonly runs: readonly DedupRunRef[];
    readonly objects: MatchObjects;
  },
  rowsPerGroup: number,
): Promise<WindowKeys> {
  const { partner, asOf, rules } = request;
  const fail = (detail: string): never => {
    throw new MatchInputError(partner, asOf, detail);
  };
  const files = windowFiles(partner, asOf, request.runs);
  if (files.length > MAX_FILES)
    fail(`${files.length} files are more than the ${MAX_FILES} a matching cut numbers`);
  const fileOf = new Map(files.map((file) => [file.fileId, file]));
  const parts: CutPart[] = [];
  for (const run of request.runs) {
    checkContract(run);
    const file = fileOf.get(run.fileId) as WindowFile;
    for (const key of run.unique.parts) parts.push({ ref: { bucket: run.unique.bucket, key }, file });
  }
  let notSettling = 0;
  for (const grouped of groupsOf(parts, partRowsOf(request.runs), rowsPerGroup)) {
    const group = await stageGroup(engine, grouped, request.objects, 'cut');
    await refuseForeignRows(engine, group, fail);
    const fields = [
      ...new Set(
        rules.passes.map((pass) => (group.side === 'tx' ? pass.transactionField : pass.settlementField)),
      ),
    ];
    if (group.side === 'tx') {
      const left = await engine.db.runAndReadAll(
        `SELECT count(*) FILTER (WHERE NOT settles)::BIGINT FROM
           (SELECT ${columnsSql(group.dataset, rules.settlingTypes)} FROM ${partsRelation(group.parts, GROUP_TABLE)})`,
      );
      notSettling += Number(left.getRows()[0]?.[0] ?? 0);
    }
    await engine.db.run(
      `CREATE OR REPLACE TEMP TABLE part_keys AS
         SELECT row, row_number, ${fields.map(sqlName).join(', ')} FROM ${groupRowsSql(group, rules.settlingTypes)}`,
    );
    const outOfRange = await engine.db.runAndReadAll(
      `SELECT row_number, file_no FROM (SELECT row_number, (row >> ${FILE_SHIFT}) & ${MAX_FILES - 1} AS file_no
         FROM part_keys) WHERE row_number < 0 OR row_number > ${MAX_ROW_NUMBER} LIMIT 1`,
    );
    const [rowNumber, fileNo] = outOfRange.getRows()[0] ?? [];
    if (rowNumber !== undefined)
      fail(
        `row ${files[Number(fileNo)]?.fileId}#${String(rowNumber)} has a row number a matching cut cannot name`,
      );
    await addRowKeys(engine, rules, group.side, 'part_keys');
    await engine.db.run('DROP TABLE part_keys');
    await removeGroup(group);
  }
  await checkRows(engine, files, fail, request.window, WINDOW_ROW_IDS);
  return { files, parts, notSettlingTransactions: notSettling };
}

/** One unit's rows as written by the scatter: object keys per side, and how many rows they hold. */
export interface UnitObjects {
  readonly unit: number;
  readonly tx: string[];
  readonly st: string[];
  rows: number;
}

/** How the scatter writes: units, rows per object, rows gathered before a batch is written, and where. */
export interface ScatterTarget {
  readonly unitCount: number;
  readonly rowsPerPart: number;
  readonly rowsPerBatch: number;
  /** Key prefix of the units' objects (the run's `_units/` folder). */
  readonly prefix: ObjectRef;
  readonly objects: MatchObjects;
}

/** Uploads in flight while a batch's objects are written out. */
const UPLOADS_IN_FLIGHT = 8;

/**
 * Read the parts again (after `assignMatchUnits`), a group of about `rowsPerBatch` rows of one side at a time, and
 * write each group's rows to its units' objects: one Parquet object per unit and chunk of at most `rowsPerPart`
 * rows, in id order, uploaded. A row without a key goes to its own component's unit. The objects are a pure
 * function of the window, the rules and the sizes: a second planner writes the same keys with the same rows.
 * @example const units = await scatterUnitRows(engine, keys, runs, rules, target) // units[3].tx: ['…/_units/tx-unit-00003-batch-00000-part-00000.parquet']
 */
export async function scatterUnitRows(
  engine: SetEngine,
  parts: readonly CutPart[],
  runs: readonly DedupRunRef[],
  rules: Pick<MatchingRules, 'settlingTypes'>,
  target: ScatterTarget,
): Promise<UnitObjects[]> {
  for (const [name, value] of [
    ['rowsPerPart', target.rowsPerPart],
    ['rowsPerBatch', target.rowsPerBatch],
  ] as const)
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got ${value}.`);
  const units: UnitObjects[] = Array.from({ length: target.unitCount }, (_, unit) => ({
    unit,
    tx: [],
    st: [],
    rows: 0,
  }));
  const batches = { tx: 0, st: 0 };
  for (const grouped of groupsOf(parts, partRowsOf(runs), target.rowsPerBatch)) {
    const group = await stageGroup(engine, grouped, target.objects, 'scatter');
    const ranges = group.parts.map(({ file }) => fileIdRange(file));
    const low = ranges.reduce((min, [first]) => (first < min ? first : min), ranges[0]?.[0] ?? 0n);
    const high = ranges.reduce((max, [, last]) => (last > max ? last : max), ranges[0]?.[1] ?? 0n);
    await engine.db.run(
      `CREATE OR REPLACE TEMP TABLE scatter_rows AS
         SELECT x.*, coalesce(m.unit, ${unitOfRowSql('x.row', target.unitCount)}) AS unit
         FROM ${groupRowsSql(group, rules.settlingTypes)} x
         LEFT JOIN (SELECT row, unit FROM match_unit WHERE row BETWEEN ${low} AND ${high}) m USING (row)
         ORDER BY unit, row`,
    );
    await removeGroup(group);
    await writeBatch(engine, group.side, batches[group.side], units, target);
    batches[group.side] += 1;
  }
  return units;
}

/** Write the gathered rows of a side as one object per unit and chunk, upload them, and empty the batch. */
async function writeBatch(
  engine: SetEngine,
  side: Side,
  batch: number,
  units: UnitObjects[],
  target: ScatterTarget,
): Promise<void> {
  const counts = await engine.db.runAndReadAll(
    'SELECT unit, count(*)::BIGINT FROM scatter_rows GROUP BY unit ORDER BY unit',
  );
  const written: { unit: number; name: string }[] = [];
  for (const [unit, unitRows] of counts.getRows()) {
    const rows = Number(unitRows);
    // The batch is stored in (unit, row) order, so a unit's chunk reads only that unit's blocks.
    for (let chunk = 0; chunk * target.rowsPerPart < rows; chunk += 1) {
      const name = `${side}-unit-${partNumber(Number(unit))}-batch-${partNumber(batch)}-part-${partNumber(chunk)}.parquet`;
      await engine.db.run(
        `COPY (SELECT * EXCLUDE (row, unit) FROM scatter_rows WHERE unit = ${unit}
               ORDER BY row LIMIT ${target.rowsPerPart} OFFSET ${chunk * target.rowsPerPart})
         TO ${sqlText(join(engine.folder, name))} (FORMAT parquet)`,
      );
      written.push({ unit: Number(unit), name });
    }
    (units[Number(unit)] as UnitObjects).rows += rows;
  }
  await engine.db.run('DROP TABLE scatter_rows');
  const { results } = await mapInFlight(written, UPLOADS_IN_FLIGHT, async ({ unit, name }) => {
    const path = join(engine.folder, name);
    const key = `${target.prefix.key}${name}`;
    await target.objects.putObject({ bucket: target.prefix.bucket, key }, await readFile(path));
    await rm(path);
    return { unit, key };
  });
  for (const { unit, key } of results) (units[unit] as UnitObjects)[side].push(key);
}
