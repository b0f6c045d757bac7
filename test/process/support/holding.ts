/** The line the hanging child prints, followed by JSON, once its handler holds the message. */
export const HOLDING_MARKER = 'HANDLER-HOLDING ';

/** The service whose handler hangs in the child. */
export const HANGING_SERVICE = 'file-landing';

/** What the child reports with the marker. */
export interface HoldingReport {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: string;
  readonly dynamodbPid: number;
}
