import type { z } from 'zod';
import { findPartner, type PartnerDatasetSpec, type PartnerSpec } from '../../config/partners.ts';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract, DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import {
  type DeclaredTotals,
  isTrailerRecord,
  parseTrailer,
  TRAILER_FORMAT,
} from '../../contracts/datasets/trailer.ts';
import type { ObjectRef, PartsRef } from '../../contracts/events/envelope.ts';
import type { FileRejectedPayloadSchema } from '../../contracts/events/file-rejected.ts';
import type { FileValidatedPayloadSchema } from '../../contracts/events/file-validated.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { declaredToJSON, TotalsAccumulator, totalsDifferences } from '../../lib/totals/control-totals.ts';
import { cardTokenizer } from './card-tokens.ts';
import { readRecords } from './csv/read-records.ts';
import type { CsvRecord } from './csv/strict-csv-parser.ts';
import { FileRejectionError, RawObjectChangedError, UnknownContractError } from './errors.ts';
import { QuarantineParts, SilverParts } from './file-outputs.ts';
import { hashingStream } from './hashing-stream.ts';
import { checkHeader } from './header.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from './ports.ts';
import { createRowValidator, type RowValidator } from './row-validation.ts';

/** What schema-validate needs from FileLanded v1 (payload + the envelope's runId). */
export interface ValidateFileInput {
  readonly fileId: string;
  readonly sha256: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly schemaV: number;
  readonly raw: ObjectRef;
  readonly runId: string;
}

export type FileValidatedPayload = z.input<typeof FileValidatedPayloadSchema>;
export type FileRejectedPayload = z.input<typeof FileRejectedPayloadSchema>;

export type ValidationOutcome =
  | { readonly kind: 'validated'; readonly payload: FileValidatedPayload }
  | { readonly kind: 'rejected'; readonly payload: FileRejectedPayload };

export interface RowCounts {
  rowsIn: number;
  valid: number;
  quarantined: number;
}

/** Everything one run accumulates while streaming a file (or one chunk of it). */
export interface Run {
  readonly input: ValidateFileInput;
  readonly contract: DatasetContract;
  readonly validator: RowValidator;
  readonly silver: SilverParts;
  readonly quarantine: QuarantineParts;
  readonly counts: RowCounts;
  readonly computed: TotalsAccumulator;
  readonly validTotals: TotalsAccumulator;
  /** The record read but not yet routed (it may be the trailer); routed as a row if the file ends early. */
  held: CsvRecord | undefined;
}

/**
 * Validate one landed file against its dataset contract, writing silver and quarantine parts as it streams.
 *
 * Primary course:
 * 1. Find the partner (encoding, trailer rule) and the contract for the file's dataset and schema version.
 * 2. Open the raw object and refuse it by size before reading a byte (EMPTY_FILE, OBJECT_TOO_LARGE).
 * 3. Stream records (csv/read-records.ts: first-bytes check, fatal decoder, CR-only check, strict CSV parser);
 *    the first record must be the contract's header.
 * 4. Hold one record back (the last may be the trailer) and validate the others: valid rows fill the current
 *    silver Parquet part, invalid ones (masked) the current quarantine part; full parts are written at once.
 * 5. At the end: the bytes must hash to the registered sha256; then HEADER_ONLY, the trailer (TRAILER_MISSING,
 *    TRAILER_MISMATCH) and the quarantine rate (QUARANTINE_RATE_EXCEEDED) decide.
 * 6. Write the last parts and return the FileValidated payload, or FileRejected with the rows read so far.
 *
 * A rejected run's silver parts are left where they are, unreferenced: only FileValidated publishes parts,
 * and a retry of the same run overwrites the same keys.
 */
export async function validateFile(
  input: ValidateFileInput,
  ports: SchemaValidatePorts,
  config: SchemaValidateConfig,
): Promise<ValidationOutcome> {
  const partner = findPartner(input.partner);
  const spec = partner?.datasets[input.dataset];
  if (!partner || !spec) {
    const reason = `Partner ${input.partner} is not configured for ${input.dataset}. Add it to config/partners.ts or refuse the delivery.`;
    return rejected(
      input,
      new FileRejectionError('UNKNOWN_PARTNER', reason),
      { rowsIn: 0, valid: 0, quarantined: 0 },
      null,
    );
  }
  const contract = findDataset(input.dataset, input.schemaV);
  if (!contract) throw new UnknownContractError(input.dataset, input.schemaV);
  const run = startRun(input, contract, partner, ports, config);
  try {
    const object = await ports.openObject(input.raw);
    if (object.sizeBytes > config.maxObjectBytes) throw tooLarge(object.sizeBytes, config.maxObjectBytes);
    if (object.sizeBytes === 0) throw empty();
    const hashed = hashingStream(object.body);
    const records = readRecords(hashed.stream, partner.encoding, { maxRecordSize: config.maxRecordSize });
    await streamRecords(run, records, { header: true });
    const last = run.held;
    run.held = undefined;
    const trailer = last && isTrailerRecord(last.fields) ? last : undefined;
    if (last && !trailer) await routeRecord(run, last);
    const digest = hashed.digest();
    if (digest !== input.sha256)
      throw new RawObjectChangedError(input.fileId, input.sha256, digest ?? 'unread');
    const declared = decideEnd(run.counts, run.computed, spec, trailer, config);
    await run.silver.flush();
    await run.quarantine.flush();
    return validated(input, {
      counts: run.counts,
      silver: { bucket: run.silver.bucket, prefix: run.silver.prefix, parts: [...run.silver.keys] },
      quarantine: run.quarantine.ref(),
      declared,
      computed: run.computed,
      validTotals: run.validTotals,
    });
  } catch (error) {
    if (!(error instanceof FileRejectionError)) throw error;
    // A record read before a mid-file rejection is not the last one: count it as the row it is.
    if (run.held) await routeRecord(run, run.held);
    await run.quarantine.flush();
    return rejected(input, error, run.counts, run.quarantine.ref());
  }
}

export function startRun(
  input: ValidateFileInput,
  contract: DatasetContract,
  partner: PartnerSpec,
  ports: SchemaValidatePorts,
  config: SchemaValidateConfig,
  chunk?: number,
): Run {
  const identity = { ...input, dataset: contract.name };
  return {
    input,
    contract,
    validator: createRowValidator(contract, {
      cardTokens: cardTokenizer(config.panHmacKey),
      businessDate: input.businessDate,
      encoding: partner.encoding,
    }),
    silver: new SilverParts(ports, config, identity, contract.silverColumns, input, chunk),
    quarantine: new QuarantineParts(ports, config, identity, chunk),
    counts: { rowsIn: 0, valid: 0, quarantined: 0 },
    computed: new TotalsAccumulator(),
    validTotals: new TotalsAccumulator(),
    held: undefined,
  };
}

/**
 * Check the header (the file's first record; a later chunk has none) and route every data record but the last,
 * which stays in `run.held` (a trailer candidate).
 */
export async function streamRecords(
  run: Run,
  batches: AsyncIterable<CsvRecord[]>,
  expect: { readonly header: boolean },
): Promise<void> {
  let header: CsvRecord | undefined;
  for await (const batch of batches) {
    for (const record of batch) {
      if (!header && expect.header) {
        header = record;
        checkHeader(record.fields, run.contract.columns);
        continue;
      }
      const held = run.held;
      run.held = record;
      // Synchronous per record; awaits only when a part is full (no promise per row).
      if (held) {
        const flush = routeRecord(run, held);
        if (flush) await flush;
      }
    }
  }
  if (!header && expect.header) throw empty();
}

/** Count, total and route one data record; returns the write to await when it filled a part. */
export function routeRecord(run: Run, record: CsvRecord): Promise<void> | undefined {
  run.counts.rowsIn += 1;
  run.computed.countRow();
  const amount = run.validator.controlAmount(record);
  if (amount) run.computed.add(amount.currency, amount.minor);
  const verdict = run.validator.validate(record);
  if (verdict.valid) {
    run.counts.valid += 1;
    run.validTotals.countRow();
    if (amount) run.validTotals.add(amount.currency, amount.minor);
    return run.silver.append(verdict.values, record.line) ? run.silver.flush() : undefined;
  }
  run.counts.quarantined += 1;
  const full = run.quarantine.add({
    rowNumber: record.line,
    field: verdict.field,
    reason: verdict.reason,
    maskedLine: run.validator.maskedLine(record),
    fileId: run.input.fileId,
    runId: run.input.runId,
  });
  return full ? run.quarantine.flush() : undefined;
}

/** The file-level decisions that need the whole file: rows present, trailer rule and totals, quarantine rate. */
export function decideEnd(
  counts: RowCounts,
  computed: TotalsAccumulator,
  spec: PartnerDatasetSpec,
  trailer: Pick<CsvRecord, 'line' | 'fields'> | undefined,
  config: SchemaValidateConfig,
): DeclaredTotals | null {
  if (counts.rowsIn === 0) {
    throw new FileRejectionError(
      'HEADER_ONLY',
      'The file has a header but no data rows. Ask the partner whether the delivery is complete.',
    );
  }
  let declared: DeclaredTotals | null = null;
  if (!trailer && spec.trailer === 'required') {
    throw new FileRejectionError(
      'TRAILER_MISSING',
      `The last record is not a ${TRAILER_FORMAT} trailer, which this partner must send: the file may be truncated. Ask the partner to resend it complete.`,
    );
  }
  if (trailer) {
    const parsed = parseTrailer(trailer.fields);
    if (!parsed.ok) {
      throw new FileRejectionError(
        'TRAILER_MISMATCH',
        `The trailer cannot be read: ${maskCardNumbers(parsed.reason)}. Ask the partner to resend the file.`,
        {
          line: trailer.line,
        },
      );
    }
    declared = parsed.totals;
    const differences = totalsDifferences(declared, computed);
    if (differences.length > 0) {
      throw new FileRejectionError(
        'TRAILER_MISMATCH',
        `The trailer does not match the file (${differences.join('; ')}): rows are missing, extra or altered. Ask the partner to resend the file.`,
        { line: trailer.line },
      );
    }
  }
  const rate = counts.quarantined / counts.rowsIn;
  if (rate > config.quarantineRejectRate) {
    throw new FileRejectionError(
      'QUARANTINE_RATE_EXCEEDED',
      `${counts.quarantined} of ${counts.rowsIn} rows (${(rate * 100).toFixed(1)}%) failed validation, above the ${(config.quarantineRejectRate * 100).toFixed(1)}% limit. ` +
        'See the quarantine entries and ask the partner to correct and resend the file.',
    );
  }
  return declared;
}

/** What a validated file reports, whole or joined from its chunks. */
export interface ValidatedFile {
  readonly counts: RowCounts;
  readonly silver: PartsRef;
  readonly quarantine: PartsRef | null;
  readonly declared: DeclaredTotals | null;
  readonly computed: TotalsAccumulator;
  readonly validTotals: TotalsAccumulator;
}

export function validated(input: ValidateFileInput, file: ValidatedFile): ValidationOutcome {
  return {
    kind: 'validated',
    payload: {
      fileId: input.fileId,
      partner: input.partner,
      dataset: input.dataset,
      businessDate: input.businessDate,
      schemaV: input.schemaV,
      sha256: input.sha256,
      counts: { ...file.counts },
      silver: file.silver,
      quarantine: file.quarantine,
      controlTotals: {
        declared: file.declared && declaredToJSON(file.declared),
        computed: file.computed.toJSON(),
      },
      validTotals: file.validTotals.toJSON(),
    },
  };
}

export function rejected(
  input: ValidateFileInput,
  error: FileRejectionError,
  counts: RowCounts,
  quarantine: PartsRef | null,
): ValidationOutcome {
  return {
    kind: 'rejected',
    payload: {
      fileId: input.fileId,
      partner: input.partner,
      dataset: input.dataset,
      businessDate: input.businessDate,
      schemaV: input.schemaV,
      code: error.code,
      reason: error.message,
      location: error.location,
      counts: { ...counts },
      source: input.raw,
      quarantine,
    },
  };
}

export function tooLarge(sizeBytes: number, maxBytes: number): FileRejectionError {
  return new FileRejectionError(
    'OBJECT_TOO_LARGE',
    `The file is ${sizeBytes} bytes, above the ${maxBytes}-byte limit; it was not read. Ask the partner to split the delivery.`,
  );
}

function empty(): FileRejectionError {
  return new FileRejectionError('EMPTY_FILE', 'The file is empty (no header). Ask the partner to resend it.');
}
