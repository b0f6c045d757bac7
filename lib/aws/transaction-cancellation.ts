import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * Which actions of a cancelled `TransactWriteItems` failed their condition. Reasons are listed in the
 * order of the request's actions; `None` marks actions that were fine.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * @example failedConditions(error) // [0] when only the first action's condition failed
 */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  // Any other reason (TransactionConflict, throttling, validation) is not a business outcome: let it retry.
  if (
    reasons.some(
      (reason) => reason.Code && reason.Code !== 'None' && reason.Code !== 'ConditionalCheckFailed',
    )
  ) {
    return undefined;
  }
  const failed = reasons.flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
  return failed.length > 0 ? failed : undefined;
}
