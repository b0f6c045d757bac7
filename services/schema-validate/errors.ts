import type { RejectionCode } from '../../contracts/events/file-rejected.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';

/** Base class of every error schema-validate raises on purpose. */
export class SchemaValidateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in the file a rejection was found (1-based line and column, 0-based byte offset). */
export interface RejectionLocation {
  line?: number;
  column?: number;
  byteOffset?: number;
  field?: string;
}

/**
 * The file as a whole cannot be accepted. A business outcome, not a failure: the use case turns it into a
 * FileRejected event. Messages say what to ask the partner for and never contain field values; the reason still
 * passes the one masking function, because some quote partner figures (a trailer's sums).
 */
export class FileRejectionError extends SchemaValidateError {
  constructor(
    readonly code: RejectionCode,
    reason: string,
    readonly location: RejectionLocation | null = null,
    options?: ErrorOptions,
  ) {
    super(maskCardNumbers(reason), options);
  }
}

/** No dataset contract exists for what FileLanded announced: a deployment gap, retried then dead-lettered. */
export class UnknownContractError extends SchemaValidateError {
  constructor(
    readonly dataset: string,
    readonly schemaV: number,
  ) {
    super(
      `No dataset contract ${dataset} v${schemaV} is deployed. Deploy schema-validate with that contract, then redrive the DLQ.`,
    );
  }
}

/** The raw object's bytes no longer hash to what landing registered: the immutable copy was altered. */
export class RawObjectChangedError extends SchemaValidateError {
  constructor(
    readonly fileId: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(
      `Raw object of ${fileId} hashes to ${actualSha256}, but landing registered ${expectedSha256}. ` +
        'Check the raw bucket (Object Lock, versioning) before redriving; nothing was published.',
    );
  }
}

/** The files-table condition refused the stage change for a reason other than "already done by this run". */
export class StageConflictError extends SchemaValidateError {
  constructor(
    readonly fileId: string,
    readonly runId: string,
    readonly found: { stage?: string; runId?: string } | null,
    options?: ErrorOptions,
  ) {
    super(
      `File ${fileId} could not be closed by run ${runId}: the registry holds ${found ? `stage ${found.stage ?? '?'} of run ${found.runId ?? '?'}` : 'no such file'}. ` +
        'A newer run owns the file or it was never registered; check the registry before redriving.',
      options,
    );
  }
}
