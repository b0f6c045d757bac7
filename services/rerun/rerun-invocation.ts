import { z } from 'zod';
import type { RerunRecord } from '../../lib/file-registry/run-record.ts';
import { RerunRequestError } from './errors.ts';
import type { RerunPorts } from './ports.ts';
import { type RerunOptions, type RerunOutcome, startRerun } from './rerun.ts';
import type { SkippedFile } from './rerun-plan.ts';

/**
 * One pass of a rerun as the function runs it: the function URL's body plus `requestedBy`, the signer's IAM ARN
 * (`rerun-url-request.ts`), never a name the caller typed.
 */
export const RerunInvocationSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    dataset: z.string().optional(),
    partner: z.string().optional(),
    runId: z.string().optional(),
    requestedBy: z.string().trim().min(1),
  })
  .strict();

export type RerunInvocation = z.infer<typeof RerunInvocationSchema>;

/**
 * What one invoked pass returns: counts, every skipped file with what to do, and the next step. File lists of a long
 * range would outgrow Lambda's 6 MB response, so reopened files are counted; the run's members are in `files`.
 */
export interface RerunSummary {
  readonly runId: string;
  readonly resumed: boolean;
  readonly run: RerunRecord;
  readonly reopened: number;
  readonly alreadyInRun: number;
  readonly skipped: readonly SkippedFile[];
  /** False when the pass stopped before the end of the range (time ran low); `next` resumes it. */
  readonly complete: boolean;
  readonly next: string;
}

const EXAMPLE = '{"from":"2026-11-01","to":"2026-11-30","requestedBy":"<your login>"}';

/** Check the payload, run one pass (start or resume) and summarise it. Throws `RerunError`s with what to do. */
export async function invokeRerun(
  payload: unknown,
  ports: RerunPorts,
  options: RerunOptions = {},
): Promise<RerunSummary> {
  const parsed = RerunInvocationSchema.safeParse(payload);
  if (!parsed.success)
    throw new RerunRequestError(
      'the payload',
      `the payload must be JSON like ${EXAMPLE}, with optional dataset, partner and runId (to resume): ${z.prettifyError(parsed.error)}`,
    );
  return summaryOf(await startRerun(parsed.data, ports, options), parsed.data);
}

/** The pass as the invoker sees it, with the payload that resumes the same run. */
export function summaryOf(outcome: RerunOutcome, invocation: RerunInvocation): RerunSummary {
  const resume = JSON.stringify({ ...invocation, runId: outcome.runId });
  const next = !outcome.complete
    ? `The pass stopped before the end of the range to stay inside the function's time limit; invoke again with ${resume} to go on (nothing done is redone).`
    : outcome.skipped.length > 0
      ? `${outcome.skipped.length} file(s) were skipped (each with its reason). Resolve them, then invoke again with ${resume} to add them; nothing done is redone.`
      : `Every file of the range is in run ${outcome.runId} and is being validated again; each touched dataset and date gets a new DatasetReady or DatasetBlocked. Invoking again with ${resume} resumes without redoing anything.`;
  return {
    runId: outcome.runId,
    resumed: outcome.resumed,
    run: outcome.run,
    reopened: outcome.reopened.length,
    alreadyInRun: outcome.alreadyInRun.length,
    skipped: outcome.skipped,
    complete: outcome.complete,
    next,
  };
}
