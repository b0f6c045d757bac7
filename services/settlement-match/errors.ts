/** Base class of every error settlement-match raises on purpose. Inside a batch each is logged and re-thrown. */
export class SettlementMatchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The rows handed to matching break its preconditions: a reader or wiring bug, never a partner's data. */
export class MatchInputError extends SettlementMatchError {
  constructor(
    readonly partner: string,
    readonly asOf: string,
    detail: string,
  ) {
    super(
      `Matching ${partner} as of ${asOf} was given inconsistent rows: ${detail}. ` +
        'Check which silver dedup parts the run read (one run per file, the partner and window only) before redriving; nothing was written.',
    );
  }
}

/** A partner's matching rules are unusable; fix config/matching-rules.ts and redeploy. */
export class MatchRulesError extends SettlementMatchError {
  constructor(
    readonly partner: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Matching rules of ${partner} are invalid: ${problems.join('; ')}. Fix config/matching-rules.ts and redeploy.`,
    );
  }
}

/**
 * A partner's matching window holds more rows than one invocation is measured to match within its timeout
 * (config/limits.ts). Raised before a row is read, so the message (not a timeout loop) reaches the DLQ and the on-call.
 */
export class WindowTooLargeError extends SettlementMatchError {
  constructor(
    readonly partner: string,
    readonly asOf: string,
    readonly rows: number,
    readonly limit: number,
  ) {
    super(
      `The matching window of ${partner} as of ${asOf} holds ${rows} rows (transactions and settlements), more than the ${limit} one settlement-match invocation is measured to match within its timeout (MAX_MATCH_WINDOW_ROWS, config/limits.ts, measured by bench/settlement-match.bench.ts). Shorten the partner's window in config/matching-rules.ts, or measure a larger window and raise the limit, deploy, then redrive the settlement-match DLQ.`,
    );
  }
}
