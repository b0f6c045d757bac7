import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import type { RerunPorts } from './ports.ts';
import { invokeRerun, type RerunSummary } from './rerun-invocation.ts';
import { sideEffects } from './side-effects.ts';

const logger = serviceLogger('rerun');

/** Time kept back at the end of an invoke: files in flight finish and the pass is recorded before Lambda stops it. */
const RESERVE_MS = 60_000;

/**
 * Operator-invoked (`aws lambda invoke`, synchronous): one pass of a rerun. The caller gets the summary, or the
 * error with what to do. A pass stops taking files when the invoke's time runs low and says how to resume.
 */
export async function onInvoke(
  event: unknown,
  remainingMs: () => number,
  ports: RerunPorts = sideEffects().rerun,
): Promise<RerunSummary> {
  try {
    const summary = await invokeRerun(event, ports, { stopWhen: () => remainingMs() < RESERVE_MS });
    const { skipped, ...counts } = summary;
    logger.info('Rerun pass finished', { ...counts, skipped: skipped.length });
    if (skipped.length > 0) logger.warn('Rerun skipped files: resolve each, then resume', { skipped });
    return summary;
  } catch (error) {
    logger.error('Rerun pass failed', { error });
    throw error;
  }
}

export const handler = middy((event: unknown, context: Context) =>
  onInvoke(event, () => context.getRemainingTimeInMillis()),
).use(injectLambdaContext(logger));
