/** Base class of every error a rerun raises on purpose; callers branch with `instanceof`. */
export class RerunError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The operator's request cannot be run as given (dates, range, filters, run id). Nothing was written. */
export class RerunRequestError extends RerunError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`Cannot start the rerun: ${detail}. Nothing was written; correct ${field} and run it again.`);
  }
}

/** `--run-id` names no recorded rerun. */
export class RunNotFoundError extends RerunError {
  constructor(readonly runId: string) {
    super(
      `No rerun ${runId} is recorded. To start a new rerun, leave out --run-id; to resume one, copy its run id from the output of the command that started it.`,
    );
  }
}

/** A resumed run was started for another range or other filters: resuming must cover exactly the same files. */
export class RunScopeMismatchError extends RerunError {
  constructor(
    readonly runId: string,
    readonly recorded: string,
    readonly requested: string,
  ) {
    super(
      `Rerun ${runId} was started for ${recorded}, not ${requested}. Resume it with exactly that range and those filters, or leave out --run-id to start a new rerun. Nothing was written.`,
    );
  }
}

/** A pass stopped part-way (a throttle, a network error): what it moved stays moved; resuming finishes the rest. */
export class RerunInterruptedError extends RerunError {
  constructor(
    readonly runId: string,
    options: ErrorOptions & { cause: unknown },
  ) {
    super(
      `Rerun ${runId} stopped part-way (${options.cause instanceof Error ? options.cause.message : String(options.cause)}). Files it moved stay in the run; fix the cause, then resume with --run-id ${runId} and the same range and filters.`,
      options,
    );
  }
}
