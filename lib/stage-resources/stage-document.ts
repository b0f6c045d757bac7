import { z } from 'zod';

/**
 * What an operator command needs to find a stage's resources: physical names, account and region. A deployed stage
 * writes it to SSM Parameter Store (`stacks/stage-document.ts`), the offline runtime serves the same parameter, and
 * the CLI reads it through the same SSM call for both. Names only (URLs and ARNs are derived), so it stays below the
 * 8 KB of an advanced parameter (the parameter is Intelligent-Tiering: standard, and free, while it fits 4 KB).
 */
export const stageDocumentSchema = z.object({
  app: z.string().min(1),
  stage: z.string().min(1),
  region: z.string().min(1),
  account: z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits'),
  bus: z.string().min(1),
  /** Archive of the finledger bus, and of the S3 notifications finledger consumes from the default bus (AWS). */
  archives: z.object({ bus: z.string().min(1), notifications: z.string().min(1).optional() }),
  /** Per service: its queue, the queue's DLQ, and the bus rule target's DLQ. */
  services: z.record(z.string(), z.object({ queue: z.string(), dlq: z.string(), busDlq: z.string() })),
  /** Per worker with a failure queue (stream and schedule triggers): the queue its failed invocations go to. */
  workerDlqs: z.record(z.string(), z.string()),
  /**
   * Per unit worker (`units` trigger): its queue and the DLQ that queue redrives to. Absent on stages deployed before
   * unit workers existed.
   */
  unitQueues: z.record(z.string(), z.object({ queue: z.string(), dlq: z.string() })).default({}),
  /**
   * Per event-log zone (`main`, `restricted`): the DLQ of its rule's Firehose target. Absent on stages deployed
   * before it existed, and offline (the local bus writes the event log itself).
   */
  eventLogDlqs: z.record(z.string(), z.string()).default({}),
  /** Per subscription rule (component name, `stacks/plan/names.ts` `rule`): physical name and its bus. */
  rules: z.record(z.string(), z.object({ name: z.string(), bus: z.enum(['finledger', 'default']) })),
  tables: z.record(z.string(), z.string()),
  buckets: z.record(z.string(), z.string()),
  /** Operator-invoked functions (rerun) by worker name: the function and its IAM-authorised URL. */
  functions: z.record(z.string(), z.object({ name: z.string(), url: z.url() })),
});

export type StageDocument = z.infer<typeof stageDocumentSchema>;

/** The SSM parameter holding a stage's document. */
export const stageDocumentParameter = (app: string, stage: string): string => `/${app}/${stage}/resources`;

export const queueArnOf = (document: StageDocument, name: string): string =>
  `arn:aws:sqs:${document.region}:${document.account}:${name}`;

export const busArnOf = (document: StageDocument, bus: 'finledger' | 'default'): string =>
  `arn:aws:events:${document.region}:${document.account}:event-bus/${bus === 'default' ? 'default' : document.bus}`;

export const archiveArnOf = (document: StageDocument, name: string): string =>
  `arn:aws:events:${document.region}:${document.account}:archive/${name}`;

/** A rule's ARN: rules on the default bus have no bus segment. */
export const ruleArnOf = (
  document: StageDocument,
  rule: { name: string; bus: 'finledger' | 'default' },
): string =>
  `arn:aws:events:${document.region}:${document.account}:rule/${rule.bus === 'default' ? '' : `${document.bus}/`}${rule.name}`;

/** Parse a stage document, with what is wrong and what to do about it. */
export function parseStageDocument(text: string, where: string): StageDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: redeploy the stage (sst deploy --stage <stage>) to rewrite it.`);
  }
  const parsed = stageDocumentSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${where} does not describe a finledger stage this CLI understands (${parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join(
          '; ',
        )}): deploy this version of finledger to the stage, or use the CLI of the deployed version.`,
    );
  return parsed.data;
}
