import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { RerunError, RerunRequestError } from './errors.ts';
import type { RerunPorts } from './ports.ts';
import { invokeRerun } from './rerun-invocation.ts';
import { isFunctionUrlEvent, rerunInvocationOf } from './rerun-url-request.ts';
import { sideEffects } from './side-effects.ts';

const logger = serviceLogger('rerun');

/** Time kept back at the end of an invoke: files in flight finish and the pass is recorded before Lambda stops it. */
const RESERVE_MS = 60_000;

/** What the function URL answers: the summary, or the refusal with what to do. */
interface UrlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const json = (statusCode: number, body: unknown): UrlResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * Operator-called through the function's IAM-authorised URL (`finledger rerun --stage`, synchronous): one pass of a
 * rerun, recorded as asked by the signer's IAM ARN. The caller gets the summary, or the error with what to do. A pass
 * stops taking files when the invoke's time runs low and says how to resume. A direct `aws lambda invoke` carries no
 * caller identity into the function and is refused.
 */
export async function onInvoke(
  event: unknown,
  remainingMs: () => number,
  ports: RerunPorts = sideEffects().rerun,
): Promise<UrlResponse> {
  if (!isFunctionUrlEvent(event)) {
    logger.warn('Rerun refused: invoked directly, without a caller identity');
    return json(400, {
      error:
        'Start a rerun with `finledger rerun --stage <stage> --from … --to …`: it calls the function URL signed with your AWS credentials, so the run records who asked. A direct invoke carries no caller identity.',
    });
  }
  try {
    const invocation = rerunInvocationOf(event);
    const summary = await invokeRerun(invocation, ports, { stopWhen: () => remainingMs() < RESERVE_MS });
    const { skipped, ...counts } = summary;
    logger.info('Rerun pass finished', {
      ...counts,
      skipped: skipped.length,
      requestedBy: invocation.requestedBy,
    });
    if (skipped.length > 0) logger.warn('Rerun skipped files: resolve each, then resume', { skipped });
    return json(200, summary);
  } catch (error) {
    if (error instanceof RerunRequestError) return json(400, { error: error.message });
    if (error instanceof RerunError) return json(409, { error: error.message });
    logger.error('Rerun pass failed', { error });
    throw error;
  }
}

export const handler = middy((event: unknown, context: Context) =>
  onInvoke(event, () => context.getRemainingTimeInMillis()),
).use(injectLambdaContext(logger));
