import type { z } from 'zod';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract } from '../../contracts/datasets/dataset-contract.ts';
import type { RecordsDeduplicatedPayloadSchema } from '../../contracts/events/records-deduplicated.ts';
import { readSilverPart, type SilverRows } from '../../lib/parquet/silver-part-reader.ts';
import { classifyAcrossFiles } from './cross-file.ts';
import { EntryParts, UniqueParts } from './dedup-outputs.ts';
import type { DedupFileInput, Run } from './dedup-run.ts';
import { SilverMismatchError, UnknownContractError } from './errors.ts';
import { CompactKeyMap } from './key-map.ts';
import { controlAmountReader, OutcomeTotals } from './outcome-totals.ts';
import type { DedupConfig, DedupPorts } from './ports.ts';
import { FINGERPRINT_VERSION, recordIdentityOf } from './record-identity.ts';
import { type ClassifiedSegment, emitSegment, keyRow, routeRow, type Segment } from './row-routing.ts';

export type { DedupFileInput };

export type RecordsDeduplicatedPayload = z.input<typeof RecordsDeduplicatedPayloadSchema>;

/** Rows per segment at most, whatever their kind, so a run of within-file repeats stays bounded too. */
const SEGMENT_MAX_ROWS = 1_000;

/**
 * Split a validated file's rows into unique, exact duplicates and conflicts, within the file and across every
 * earlier file of the partner and dataset.
 *
 * Primary course:
 * 1. Find the dataset contract; its natural key and business columns define a row's key and fingerprint.
 * 2. First pass over the silver parts: note each key's first row and fingerprint in a compact map; a later row
 *    with the same key is a within-file duplicate (same fingerprint) or puts the key in conflict (different).
 * 3. Second pass, in file order: a row of a key in conflict is quarantined (every version, none kept); a repeat
 *    of a key's first row is a dropped duplicate; a first row is a candidate for the cross-file check.
 * 4. Candidates go in batches of up to 100 to the `dedup-keys` store (classifyAcrossFiles), a few batches at
 *    a time; results are emitted in file order to the unique Parquet parts and the quarantine entry parts, and
 *    each row's control amount (the contract's silver amount column, bigint) to the totals of its outcome.
 * 5. Write the last parts and return the RecordsDeduplicated payload, valid = unique + duplicates + conflicts,
 *    with totals per outcome that add up to FileValidated's validTotals (reconcile checks it).
 *
 * Safe to repeat: keys this file claimed are its own on a retry or rerun, so the classification and every part
 * key come out the same, and the parts are overwritten in place.
 */
export async function dedupFile(
  input: DedupFileInput,
  ports: DedupPorts,
  config: DedupConfig,
): Promise<RecordsDeduplicatedPayload> {
  const contract = findDataset(input.dataset, input.schemaV);
  if (!contract) throw new UnknownContractError(input.dataset, input.schemaV);
  const run = startRun(input, contract, ports, config);
  await noteKeys(run);
  await routeRows(run);
  await run.unique.flush({ evenIfEmpty: true });
  await run.duplicates.flush();
  await run.conflicts.flush();
  return {
    fileId: input.fileId,
    partner: input.partner,
    dataset: input.dataset,
    businessDate: input.businessDate,
    schemaV: input.schemaV,
    sha256: input.sha256,
    counts: {
      valid: input.valid,
      unique: run.unique.count,
      duplicates: run.duplicates.count,
      conflicts: run.conflicts.count,
    },
    totals: run.totals.toJSON(),
    unique: run.unique.ref(),
    duplicates: run.duplicates.ref(),
    conflicts: run.conflicts.ref(),
  };
}

function startRun(
  input: DedupFileInput,
  contract: DatasetContract,
  ports: DedupPorts,
  config: DedupConfig,
): Run {
  const nowSeconds = Math.floor(ports.now().getTime() / 1000);
  const runIdentity = { ...input, dataset: contract.name };
  return {
    input,
    contract,
    identity: recordIdentityOf(contract),
    ports,
    config,
    keys: new CompactKeyMap(input.valid),
    claim: {
      fileId: input.fileId,
      fingerprintVersion: FINGERPRINT_VERSION,
      nowSeconds,
      expiresAt: nowSeconds + config.retentionDays * 86_400,
    },
    unique: new UniqueParts(ports.objects, config, runIdentity, contract.silverColumns, input),
    duplicates: new EntryParts(ports.objects, config, runIdentity, 'duplicates'),
    conflicts: new EntryParts(ports.objects, config, runIdentity, 'conflicts'),
    amountOf: controlAmountReader(contract, input.fileId),
    totals: new OutcomeTotals(),
  };
}

/** Read the silver parts in order, checking each row belongs to this file; `visit` sees every row. */
async function eachPart(run: Run, visit: (rows: SilverRows) => Promise<void> | void): Promise<void> {
  let total = 0;
  for (const key of run.input.silver.parts) {
    const rows = await readSilverPart(
      await run.ports.objects.getObject({ bucket: run.input.silver.bucket, key }),
      run.contract,
    );
    for (let index = 0; index < rows.length; index += 1) {
      if (rows.fileId(index) !== run.input.fileId)
        throw new SilverMismatchError(run.input.fileId, `${key} holds rows of ${rows.fileId(index)}`);
    }
    total += rows.length;
    if (total > run.input.valid)
      throw new SilverMismatchError(
        run.input.fileId,
        `more than the ${run.input.valid} valid rows announced`,
      );
    await visit(rows);
  }
  if (total !== run.input.valid)
    throw new SilverMismatchError(run.input.fileId, `${total} rows, ${run.input.valid} announced`);
}

/** First pass: what the whole file says about each key. */
async function noteKeys(run: Run): Promise<void> {
  await eachPart(run, (rows) => {
    for (let index = 0; index < rows.length; index += 1) {
      run.keys.observe(keyRow(run, rows.values(index)).hashed, rows.rowNumber(index));
    }
  });
}

/** Second pass: route every row in file order, classify candidates in batches, emit in order. */
async function routeRows(run: Run): Promise<void> {
  const window: Promise<ClassifiedSegment>[] = [];
  let segment: Segment = { rows: [], candidates: 0 };
  const submit = async () => {
    if (segment.rows.length === 0) return;
    const current = segment;
    segment = { rows: [], candidates: 0 };
    const candidates = current.rows.flatMap((row) => (row.kind === 'candidate' ? [row.candidate] : []));
    const resolving = (
      candidates.length === 0
        ? Promise.resolve([])
        : classifyAcrossFiles(candidates, run.ports.keys, run.claim)
    ).then((verdicts) => ({ segment: current, verdicts }));
    // Awaited in order below; marked handled now so a later batch failing first is not an unhandled rejection.
    resolving.catch(() => undefined);
    window.push(resolving);
    if (window.length >= run.config.claimConcurrency)
      await emitSegment(run, await (window.shift() as (typeof window)[number]));
  };

  await eachPart(run, async (rows) => {
    for (let index = 0; index < rows.length; index += 1) {
      segment.rows.push(routeRow(run, rows.values(index), rows.rowNumber(index)));
      if (segment.rows.at(-1)?.kind === 'candidate') segment.candidates += 1;
      if (segment.candidates >= run.config.keyBatchSize || segment.rows.length >= SEGMENT_MAX_ROWS)
        await submit();
    }
  });
  await submit();
  while (window.length > 0) await emitSegment(run, await (window.shift() as (typeof window)[number]));
}
