/** Base class of every error dedup raises on purpose. Inside a batch each is logged and re-thrown (retried, then DLQ). */
export class DedupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No dataset contract exists for what FileValidated announced: a deployment gap. */
export class UnknownContractError extends DedupError {
  constructor(
    readonly dataset: string,
    readonly schemaV: number,
  ) {
    super(
      `No dataset contract ${dataset} v${schemaV} is deployed. Deploy dedup with that contract, then redrive the DLQ.`,
    );
  }
}

/** The silver parts do not hold what FileValidated claimed (another file's rows, or a different row count). */
export class SilverMismatchError extends DedupError {
  constructor(
    readonly fileId: string,
    detail: string,
  ) {
    super(
      `Silver parts of ${fileId} do not match FileValidated: ${detail}. Check the silver bucket for overwritten or missing parts before redriving; nothing was published.`,
    );
  }
}

/** A key this file owns now fingerprints differently: the canonical form or the contract changed under it. */
export class FingerprintDriftError extends DedupError {
  constructor(
    readonly key: string,
    readonly fileId: string,
    readonly rowNumber: number,
  ) {
    super(
      `Key ${key} is owned by this file (${fileId}, row ${rowNumber}) with a different fingerprint. ` +
        'The fingerprint columns or their values changed between runs; compare fingerprintVersion and the contract before redriving.',
    );
  }
}

/** The dedup commit was refused for a reason other than "this run already committed". */
export class DedupCommitConflictError extends DedupError {
  constructor(
    readonly fileId: string,
    readonly runId: string,
    readonly found: { stage?: string; runId?: string } | null,
    options?: ErrorOptions,
  ) {
    super(
      `Dedup of ${fileId} by run ${runId} could not be committed: the registry holds ${found ? `stage ${found.stage ?? '?'} of run ${found.runId ?? '?'}` : 'no such file'}, not VALIDATED by this run. ` +
        'The event is stale or a newer run owns the file; check the registry before redriving.',
      options,
    );
  }
}

/** Other runs of the same partner kept publishing to the key history first; nothing of this run was published. */
export class KeyHistoryContentionError extends DedupError {
  constructor(
    readonly dataset: string,
    readonly partner: string,
    readonly bucket: string,
    readonly attempts: number,
  ) {
    super(
      `Bucket ${bucket || 'all'} of the ${dataset} key history of ${partner} moved under this run ${attempts} times in a row; ` +
        "none of its keys were published (buckets published before are this file's own on the retry). " +
        'The record will be retried; if it reaches the DLQ, look for a stuck or looping dedup run of that partner before redriving.',
    );
  }
}
