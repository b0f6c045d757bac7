import { z } from 'zod';
import { RerunRequestError } from './errors.ts';
import { type RerunInvocation, RerunInvocationSchema } from './rerun-invocation.ts';

/**
 * The body an operator POSTs to the rerun function's URL (IAM-authorised, signed with SigV4 by
 * `finledger rerun --stage`). No `requestedBy`: who asked is the signer, as Lambda reports it.
 */
const RerunUrlBodySchema = RerunInvocationSchema.omit({ requestedBy: true });

/** The parts of a Lambda function URL event (payload format 2.0) the rerun reads. */
export interface FunctionUrlEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly http: { readonly method: string };
    readonly authorizer?: { readonly iam?: { readonly userArn?: string } };
  };
}

/** Whether an invocation came through the function URL (not `aws lambda invoke`). */
export function isFunctionUrlEvent(event: unknown): event is FunctionUrlEvent {
  const context = (event as { requestContext?: { http?: unknown } } | null)?.requestContext;
  return typeof context?.http === 'object' && context.http !== null;
}

/**
 * The rerun request of a function URL call, with `requestedBy` the caller's IAM ARN. A URL without IAM
 * authorisation has no caller and is refused: the URL must be declared with `authorization: 'iam'`.
 */
export function rerunInvocationOf(event: FunctionUrlEvent): RerunInvocation {
  const caller = event.requestContext.authorizer?.iam?.userArn;
  if (!caller)
    throw new RerunRequestError(
      'the caller',
      'the request carries no IAM caller: the rerun URL must require IAM authorisation (stacks/services.ts); call it with `finledger rerun --stage <stage>`',
    );
  if (event.requestContext.http.method !== 'POST')
    throw new RerunRequestError('the method', 'POST the rerun request as JSON');
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RerunRequestError(
      'the body',
      'the body must be JSON like {"from":"2026-11-01","to":"2026-11-30"}',
    );
  }
  const parsed = RerunUrlBodySchema.safeParse(json);
  if (!parsed.success)
    throw new RerunRequestError(
      'the body',
      `the body must be JSON like {"from":"2026-11-01","to":"2026-11-30"} with optional dataset, partner and runId (who asked is taken from your signature, not the body): ${z.prettifyError(parsed.error)}`,
    );
  return { ...parsed.data, requestedBy: caller };
}
