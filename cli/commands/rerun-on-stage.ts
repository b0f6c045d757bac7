import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readyGates } from '../../config/ready-gates.ts';
import { signedJsonPost } from '../../lib/aws/signed-request.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { dynamoRerunRegistry } from '../../services/rerun/adapters/dynamo-rerun-registry.ts';
import { readyVerdicts } from '../../services/rerun/adapters/ready-verdicts.ts';
import { s3RawSnapshots } from '../../services/rerun/adapters/s3-raw-snapshots.ts';
import { RerunError, RerunRequestError } from '../../services/rerun/errors.ts';
import type { RerunPorts, VerdictPorts } from '../../services/rerun/ports.ts';
import { previewRerun } from '../../services/rerun/rerun.ts';
import type { RerunSummary } from '../../services/rerun/rerun-invocation.ts';
import { type RerunProgress, rerunProgress } from '../../services/rerun/rerun-progress.ts';
import { rerunVerdicts, type ScopeVerdict } from '../../services/rerun/rerun-verdicts.ts';
import { printJson, printText } from '../output.ts';
import type { RerunReport } from './rerun.ts';
import type { StageAccess } from './runtime-commands.ts';

/** What `rerun --stage` asks the stage's rerun function for (who asks is the signature, not a field). */
export interface StageRerunRequest {
  readonly from: string;
  readonly to: string;
  readonly dataset?: string | undefined;
  readonly partner?: string | undefined;
  readonly runId?: string | undefined;
}

/**
 * `rerun --stage`: call the stage's rerun function through its IAM-authorised URL, signed with the caller's AWS
 * credentials (the run records the signer's ARN), pass after pass until the range is done; then follow the run's
 * files in the stage's registry until each is terminal again and every touched date has a verdict, and print per
 * date the verdict and whether gold kept its content hash, as the offline rerun does.
 * Exit 0 done, 1 failure or timeout (the command to resume is printed), 2 the request was refused, 3 files skipped or
 * a verdict missing.
 */
export async function rerunOnStage(
  stage: StageAccess,
  request: StageRerunRequest,
  options: { readonly json: boolean; readonly timeoutMs: number; readonly pollMs?: number },
): Promise<number> {
  const fn = stage.document.functions.rerun;
  if (!fn) {
    console.error(
      `rerun: stage ${stage.document.stage} has no rerun function URL: deploy this finledger version to it.`,
    );
    return 1;
  }
  const credentials = await stage.clients.ssm.config.credentials();
  let summary: RerunSummary | undefined;
  do {
    const body = JSON.stringify({ ...request, ...(summary ? { runId: summary.runId } : {}) });
    const response = await signedJsonPost(fn.url, body, {
      service: 'lambda',
      region: stage.document.region,
      credentials,
    });
    const answer = parseAnswer(response.text);
    if (response.status === 403) {
      console.error(
        `rerun: not allowed to call ${fn.name}'s URL with these credentials: the principal needs lambda:InvokeFunctionUrl on it (check AWS_PROFILE).`,
      );
      return 1;
    }
    if (response.status === 400) {
      console.error(answer.error ?? response.text);
      return 2;
    }
    if (response.status !== 200) {
      console.error(
        `rerun: ${fn.name} answered ${response.status}: ${answer.error ?? answer.Message ?? response.text}${summary ? `. Resume with --run-id ${summary.runId}` : ''}`,
      );
      return 1;
    }
    summary = answer as unknown as RerunSummary;
    if (!options.json)
      printText(
        `Rerun ${summary.runId} (${summary.resumed ? 'resumed' : 'new'}, asked by ${summary.run.requestedBy}) over ${summary.run.from}..${summary.run.to}: ` +
          `${summary.reopened} file(s) reopened from raw, ${summary.alreadyInRun} already in this run, ${summary.skipped.length} skipped.`,
      );
  } while (!summary.complete);
  if (!options.json) for (const file of summary.skipped) printText(`  skipped ${file.code}: ${file.reason}`);

  const ports = stageRerunPorts(stage);
  const startedAt = Date.now();
  const followed = await follow(summary, ports, options);
  // Offline this process runs the pipeline: leave it idle (reconcile and gold of the last verdicts done), so what the
  // state folder holds after the command does not depend on when it stopped.
  if (stage.runtime)
    await stage.runtime
      .waitForIdle({ timeoutMs: Math.max(1_000, options.timeoutMs - (Date.now() - startedAt)) })
      .catch(() =>
        process.stderr.write(
          'The pipeline was still busy when the command stopped; what is left resumes when this state folder starts again.\n',
        ),
      );
  // Offline the command works on the state folder's runtime: no --stage in what it tells you to run.
  const stageFlag = stage.runtime ? '' : ` --stage ${stage.document.stage}`;
  const scope = `${summary.run.dataset ? ` --dataset ${summary.run.dataset}` : ''}${summary.run.partner ? ` --partner ${summary.run.partner}` : ''}`;
  const resume = `finledger rerun${stageFlag} --run-id ${summary.runId} --from ${summary.run.from} --to ${summary.run.to}${scope}`;
  if (!followed.progress.done) {
    const open = followed.progress.open.map(
      (file) => `${file.fileId} (${file.partner} ${file.dataset} ${file.businessDate})`,
    );
    console.error(
      `${open.length} file(s) of run ${summary.runId} are still open after ${options.timeoutMs / 1000} s: ${open.join(', ')}. ` +
        `Check \`finledger dlq list${stageFlag}\`, fix the cause and redrive, then run \`${resume}\` to follow it again.`,
    );
    return 1;
  }
  const pending = followed.verdicts.filter((verdict) => verdict.current.verdict === 'PENDING');
  if (pending.length > 0) {
    console.error(
      `Run ${summary.runId}: every file is terminal again, but ${pending.map((verdict) => `${verdict.dataset} ${verdict.businessDate}`).join(', ')} ` +
        `has no verdict after ${options.timeoutMs / 1000} s. Check \`finledger dlq list${stageFlag}\` (ready-publisher), then \`${resume}\` to follow it again.`,
    );
    return 1;
  }
  if (options.json)
    printJson({ summary, progress: followed.progress, verdicts: followed.verdicts } satisfies RerunReport);
  else {
    printText(
      `Run ${summary.runId}: ${followed.progress.terminal} of ${followed.progress.members} file(s) terminal again` +
        `${followed.progress.movedOn > 0 ? ` (${followed.progress.movedOn} moved on to a later run)` : ''}.`,
    );
    for (const line of verdictLines(followed.verdicts)) printText(line);
    if (summary.skipped.length > 0)
      printText(
        `${summary.skipped.length} file(s) skipped (reasons above) are not in this run; once resolved, \`${resume}\` adds them.`,
      );
  }
  return summary.skipped.length > 0 ? 3 : 0;
}

/**
 * `rerun --dry-run`: read the stage's registry and raw snapshots (nothing is written, no function is called) and print
 * the files a rerun would reopen, those already in the run a `--run-id` would resume, and those it would skip with
 * what to do. Exit 0, 2 for a request the rerun would refuse, 3 when files would be skipped.
 */
export async function previewOnStage(
  stage: StageAccess,
  request: StageRerunRequest,
  options: { readonly json: boolean },
): Promise<number> {
  let preview: Awaited<ReturnType<typeof previewRerun>>;
  try {
    preview = await previewRerun({ ...request, requestedBy: 'dry-run' }, stageRerunPorts(stage).rerun);
  } catch (error) {
    if (!(error instanceof RerunError)) throw error;
    console.error(error.message);
    return error instanceof RerunRequestError ? 2 : 1;
  }
  if (options.json) printJson(preview);
  else {
    const scope = `${preview.from}..${preview.to}${preview.dataset ? ` --dataset ${preview.dataset}` : ''}${preview.partner ? ` --partner ${preview.partner}` : ''}`;
    printText(
      `Dry run of a rerun over ${scope}${preview.runId ? ` resuming ${preview.runId}` : ''} on stage ${stage.document.stage}: ` +
        `${preview.wouldReopen.length} file(s) would be reopened from raw, ${preview.alreadyInRun.length} already in the run, ` +
        `${preview.skipped.length} would be skipped. Nothing was changed.`,
    );
    for (const file of preview.wouldReopen)
      printText(
        `  reopen ${file.fileId} ${file.partner} ${file.dataset} ${file.businessDate} ${file.fileName} (now in ${file.currentRunId}, contract v${file.schemaV})`,
      );
    for (const file of preview.skipped) printText(`  skip ${file.code}: ${file.reason}`);
  }
  return preview.skipped.length > 0 ? 3 : 0;
}

/** Poll the run's files and verdicts until every file is terminal and every date has a verdict, or time is up. */
async function follow(
  summary: RerunSummary,
  ports: { rerun: RerunPorts; verdicts: VerdictPorts },
  options: { readonly json: boolean; readonly timeoutMs: number; readonly pollMs?: number },
): Promise<{ progress: RerunProgress; verdicts: readonly ScopeVerdict[] }> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const progress = await rerunProgress(summary.runId, ports.rerun);
    const verdicts = progress.done
      ? await rerunVerdicts(summary.run, await ports.rerun.members(summary.runId), ports.verdicts)
      : [];
    const line = `run ${summary.runId}: ${progress.terminal}/${progress.members} file(s) terminal, ${verdicts.filter((verdict) => verdict.current.verdict !== 'PENDING').length} date(s) with a verdict`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
    const settled = progress.done && verdicts.every((verdict) => verdict.current.verdict !== 'PENDING');
    if (settled || Date.now() > deadline) return { progress, verdicts };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
  }
}

/** The rerun's registry and verdict ports over the stage's tables, as the function builds them. */
function stageRerunPorts(stage: StageAccess): { rerun: RerunPorts; verdicts: VerdictPorts } {
  const doc = DynamoDBDocumentClient.from(stage.clients.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const files = stage.document.tables.files ?? '';
  return {
    rerun: {
      ...dynamoRerunRegistry(doc, { files, outbox: stage.document.tables.outbox ?? '' }),
      ...s3RawSnapshots(stage.clients.s3),
      now: () => new Date(),
      newId: randomUUID,
    },
    verdicts: readyVerdicts(doc, files, new FileRegistryStore(doc, files), readyGates),
  };
}

function parseAnswer(text: string): { error?: string; Message?: string } & Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Per dataset and date: the verdict and whether gold kept the previous READY's content hash. */
export function verdictLines(verdicts: readonly ScopeVerdict[]): string[] {
  return verdicts.map((verdict) => {
    const scope = `  ${verdict.dataset} ${verdict.businessDate}:`;
    const { current, previousReady } = verdict;
    if (current.verdict === 'PENDING')
      return `${scope} no verdict yet on the current facts (${current.runId ?? 'no gates declared'}); check \`finledger dlq list\` for ready-publisher.`;
    if (current.verdict === 'BLOCKED')
      return `${scope} BLOCKED ${current.runId}: failed ${current.failedGates.join(', ')}.`;
    const comparison = !previousReady
      ? 'no earlier READY to compare with.'
      : verdict.sameContent
        ? `same content hash as the previous ready run ${previousReady.runId}.`
        : `content hash DIFFERS from the previous ready run ${previousReady.runId} (${previousReady.contentHash}); compare both gold partitions before using either.`;
    return `${scope} READY ${current.runId}, content hash ${current.contentHash}: ${comparison}`;
  });
}
