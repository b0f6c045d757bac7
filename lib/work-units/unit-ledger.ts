/** A run's recorded work (what its units need: the input, the plan, the origin) and its results so far. */
export interface RecordedWork<Work> {
  readonly work: Work;
  /** Units with a recorded result. */
  readonly done: number;
}

/**
 * Per-run state of work cut into units (DynamoDB offline and in AWS): the work, recorded once, and one result per
 * unit, each recorded once and counted once, so a unit redelivered or run twice changes nothing. A run belongs to a
 * scope: the file it cuts (a file id), or the partner's window it matches.
 */
export interface UnitLedger<Work, Result extends { readonly index: number }> {
  /** Record the work unless this run has it; returns the recorded work (the first one, on a repeat). */
  recordWork(scope: string, runId: string, work: Work): Promise<RecordedWork<Work>>;
  work(scope: string, runId: string): Promise<RecordedWork<Work> | undefined>;
  /** Whether a unit's result is recorded (its work need not run again). */
  hasResult(scope: string, runId: string, index: number): Promise<boolean>;
  /** Record a unit's result and count it, once; returns how many units of the run have results. */
  recordResult(scope: string, runId: string, result: Result): Promise<number>;
  /** Every recorded result of the run, in unit order. */
  results(scope: string, runId: string): Promise<Result[]>;
}

/** What a service needs to cut its work into units: the ledger, a dispatch to its unit worker's queue, the sizes. */
export interface UnitFanOut<Work, Result extends { readonly index: number }, Unit, Sizes> {
  readonly ledger: UnitLedger<Work, Result>;
  /** Send units to the unit worker's queue; resolves once the queue accepted every one. */
  dispatch(units: readonly Unit[]): Promise<void>;
  readonly sizes: Sizes;
}
