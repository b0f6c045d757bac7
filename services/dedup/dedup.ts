import { rm } from 'node:fs/promises';
import type { z } from 'zod';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract } from '../../contracts/datasets/dataset-contract.ts';
import type { RecordsDeduplicatedPayloadSchema } from '../../contracts/events/records-deduplicated.ts';
import { type SetEngine, sqlText, withSetEngine } from '../../lib/duckdb/set-engine.ts';
import { EntryParts, UniqueParts } from './dedup-outputs.ts';
import type { DedupFileInput, DedupOutcome, DedupSlice, Run } from './dedup-run.ts';
import { UnknownContractError } from './errors.ts';
import { classifyAgainstHistory } from './history-passes.ts';
import { bucketSql } from './key-history/key-buckets.ts';
import { unitFolder } from './object-keys.ts';
import type { DedupConfig, DedupPorts } from './ports.ts';
import { FINGERPRINT_VERSION, recordIdentityOf } from './record-identity.ts';
import { silverRelation } from './silver-relation.ts';
import { identitySqlOf } from './sql/identity-sql.ts';
import { classifyWithinFile, loadFileRows } from './within-file.ts';
import { writeOutcomes } from './write-outcomes.ts';

export type { DedupFileInput, DedupOutcome, DedupSlice };

export type RecordsDeduplicatedPayload = z.input<typeof RecordsDeduplicatedPayloadSchema>;

/**
 * Split a validated file's rows into unique, exact duplicates and conflicts, within the file and across every
 * earlier file of the partner and dataset, as set work in DuckDB.
 *
 * Primary course:
 * 1. Find the dataset contract; its natural key and business columns define a row's key and fingerprint.
 * 2. Stage the silver parts locally and load (row, key, fingerprint) of every row, checking the parts hold
 *    exactly the rows FileValidated announced.
 * 3. Within the file: a key with two contents puts every row of it in conflict; a repeat of a key's first row is
 *    a duplicate; a key's first row is a candidate (within-file.ts).
 * 4. Across files, in passes over the history's buckets (a key's bucket is the start of its sha256,
 *    key-history/key-buckets.ts; history-passes.ts): read the buckets' manifests, stage their segments and
 *    classify the candidates against their live records (cross-file.ts). A key owned by this same file is
 *    unique again.
 * 5. Publish each bucket's newly claimed keys as its next version (publish-claims.ts); for a bucket another run
 *    published first, go back to 4 with its longer history. A pass stages a bounded slice of the history.
 * 6. In file order, write unique rows to Parquet parts and duplicates and conflicts to quarantine entries, and
 *    total each outcome's control amounts per currency, all in SQL (write-outcomes.ts); return the
 *    RecordsDeduplicated payload, valid = unique + duplicates + conflicts, totals adding up to FileValidated's
 *    validTotals.
 *
 * Safe to repeat: keys this file claimed are its own on a retry or rerun, so the classification and every part
 * key come out the same, and the parts are overwritten in place.
 */
export async function dedupFile(
  input: DedupFileInput,
  ports: DedupPorts,
  config: DedupConfig,
): Promise<RecordsDeduplicatedPayload> {
  return payloadOf(input, await dedupRows(input, ports, config));
}

/**
 * Deduplicate the file's rows, all of them or the slice of one work unit (`units/dedup-units.ts`): the rows whose
 * key falls in the slice's history buckets. A key's rows all fall in one bucket, so a slice is classified exactly
 * as the whole file classifies those rows; its parts go to the slice's own `unit-NNNNN/` folder.
 */
export async function dedupRows(
  input: DedupFileInput,
  ports: DedupPorts,
  config: DedupConfig,
  slice?: DedupSlice,
): Promise<DedupOutcome> {
  const contract = findDataset(input.dataset, input.schemaV);
  if (!contract) throw new UnknownContractError(input.dataset, input.schemaV);
  const run = startRun(input, contract, ports, config, slice);
  const totals = await withSetEngine(config.engine, async (engine) => {
    const identity = identitySqlOf(contract, input.partner);
    const silver = slice
      ? await stageSlice(
          run,
          engine,
          `${bucketSql(identity.key, config.historyBucketDigits)} IN (${slice.buckets.map(sqlText).join(', ')})`,
        )
      : silverRelation(contract, await stageSilverParts(run, engine));
    await loadFileRows(engine, silver, identity, input, slice === undefined);
    await classifyWithinFile(engine, bucketSql('r.key', config.historyBucketDigits));
    await classifyAgainstHistory(run, engine);
    return writeOutcomes(run, engine, silver);
  });
  return {
    counts: { unique: run.unique.count, duplicates: run.duplicates.count, conflicts: run.conflicts.count },
    totals,
    unique: run.unique.ref(),
    duplicates: run.duplicates.ref(),
    conflicts: run.conflicts.ref(),
  };
}

/** The RecordsDeduplicated payload of a file from what deduplicating its rows produced. */
export function payloadOf(input: DedupFileInput, outcome: DedupOutcome): RecordsDeduplicatedPayload {
  return {
    fileId: input.fileId,
    partner: input.partner,
    dataset: input.dataset,
    businessDate: input.businessDate,
    schemaV: input.schemaV,
    sha256: input.sha256,
    counts: { valid: input.valid, ...outcome.counts },
    totals: outcome.totals,
    unique: outcome.unique,
    duplicates: outcome.duplicates,
    conflicts: outcome.conflicts,
  };
}

function startRun(
  input: DedupFileInput,
  contract: DatasetContract,
  ports: DedupPorts,
  config: DedupConfig,
  slice: DedupSlice | undefined,
): Run {
  const nowSeconds = Math.floor(ports.now().getTime() / 1000);
  const runIdentity = { ...input, dataset: contract.name };
  const folder = slice ? unitFolder(slice.index) : '';
  return {
    input,
    contract,
    identity: recordIdentityOf(contract),
    ports,
    config,
    claim: {
      fileId: input.fileId,
      runId: input.runId,
      businessDate: input.businessDate,
      sha256: input.sha256,
      fingerprintVersion: FINGERPRINT_VERSION,
      nowSeconds,
      expiresAt: nowSeconds + config.retentionDays * 86_400,
    },
    unique: new UniqueParts(ports.objects, config, runIdentity, folder),
    duplicates: new EntryParts(ports.objects, config, runIdentity, 'duplicates', folder),
    conflicts: new EntryParts(ports.objects, config, runIdentity, 'conflicts', folder),
  };
}

/**
 * A slice's rows of the file's silver parts as the table `slice_silver`, one part staged at a time and removed once
 * read, so a unit's scratch disk holds one part and its slice (spilled by DuckDB past its memory limit), never the
 * whole file. Returns the relation.
 */
async function stageSlice(run: Run, engine: SetEngine, inSlice: string): Promise<string> {
  await engine.db.run(`CREATE TABLE slice_silver AS SELECT * FROM ${silverRelation(run.contract, [])}`);
  for (const [index, key] of run.input.silver.parts.entries()) {
    const bytes = await run.ports.objects.getObject({ bucket: run.input.silver.bucket, key });
    const path = await engine.stage(`silver-${index}.parquet`, bytes);
    await engine.db.run(
      `INSERT INTO slice_silver BY NAME SELECT * FROM ${silverRelation(run.contract, [path])} WHERE ${inSlice}`,
    );
    await rm(path, { force: true });
  }
  return 'slice_silver';
}

/** Copy the file's silver parts to the session's folder, in order (DuckDB and the emit pass read them there). */
async function stageSilverParts(run: Run, engine: SetEngine): Promise<string[]> {
  const paths: string[] = [];
  for (const [index, key] of run.input.silver.parts.entries()) {
    const bytes = await run.ports.objects.getObject({ bucket: run.input.silver.bucket, key });
    paths.push(await engine.stage(`silver-${index}.parquet`, bytes));
  }
  return paths;
}
