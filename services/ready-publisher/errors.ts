/** Base class of every error ready-publisher raises on purpose. Inside a batch each is logged and re-thrown (retried, then DLQ). */
export class ReadyPublisherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No gates are declared for a dataset: a deployment gap, so nothing may be published. */
export class GatesNotDeclaredError extends ReadyPublisherError {
  constructor(readonly dataset: string) {
    super(
      `No readiness gates are declared for ${dataset} in config/ready-gates.ts. Declare them and deploy, then redrive.`,
    );
  }
}

/** The facts handed to the gates contradict each other (two latest reconciliations for one partner, say). */
export class GateFactsError extends ReadyPublisherError {
  constructor(detail: string) {
    super(
      `Readiness facts are inconsistent: ${detail}. Check how the handler gathers the latest fact per partner before redriving.`,
    );
  }
}

/** The rows handed to gold are not what the curated set can hold: a wiring or dedup bug, never published. */
export class GoldInputError extends ReadyPublisherError {
  constructor(detail: string) {
    super(
      `Gold rows are inconsistent: ${detail}. Nothing was written; check which unique parts the handler read (one run per file) before redriving.`,
    );
  }
}
