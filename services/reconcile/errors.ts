/** Base class of every error reconcile raises on purpose. Inside a batch each is logged and re-thrown (retried, then DLQ). */
export class ReconcileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stage facts handed to reconcile contradict each other: a wiring bug, never a data break. */
export class ReconcileInputError extends ReconcileError {
  constructor(
    readonly fileId: string | null,
    detail: string,
  ) {
    super(
      `Reconcile input is inconsistent${fileId ? ` for ${fileId}` : ''}: ${detail}. Check how the handler gathers the latest stage facts per file before redriving; nothing was published.`,
    );
  }
}
