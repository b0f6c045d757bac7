import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { stageReplayTarget } from '../../cli/stage-targets.ts';
import { parseStageDocument, stageDocumentParameter } from '../../lib/stage-resources/stage-document.ts';
import { names } from '../../stacks/plan/names.ts';
import { topology } from '../../topology/topology.ts';
import { ACCOUNT, ofType, REGION } from './harness/sst-mocks.ts';
import { one, STAGES, useStages } from './harness/stages.ts';

/**
 * The stage document the stack writes to SSM is what the CLI's `--stage` reads: every service's queues, every
 * subscription's rule with its bus, the archives, tables and buckets, small enough for a standard parameter.
 */
const stage_ = useStages();

describe.each(STAGES)('%s stage document', (stage) => {
  const parameter = () => one(stage_(stage).run, 'aws:ssm/parameter:Parameter', names.stageDocument());

  it('is a standard String parameter under /finledger/<stage>/resources, within the 4 KB limit', () => {
    expect(parameter().inputs).toMatchObject({
      name: stageDocumentParameter(topology.app, stage),
      type: 'String',
      tier: 'Standard',
    });
    expect(Buffer.byteLength(String(parameter().inputs.value))).toBeLessThan(4096);
  });

  it('names every service’s queues, every rule on its bus, the archives, tables and buckets', () => {
    const document = parseStageDocument(String(parameter().inputs.value), 'the parameter');
    expect(document).toMatchObject({ app: topology.app, stage, region: REGION, account: ACCOUNT });
    expect(Object.keys(document.services).sort()).toEqual(topology.services.map((s) => s.name).sort());
    expect(Object.keys(document.rules).sort()).toEqual(
      stage_(stage)
        .plan.rules.map((rule) => rule.name)
        .sort(),
    );
    expect(Object.keys(document.tables).sort()).toEqual(topology.tables.map((t) => t.name).sort());
    expect(Object.keys(document.buckets).sort()).toEqual(topology.buckets.map((b) => b.name).sort());
    expect(document.archives.notifications).toEqual(expect.any(String));
    expect(document.functions.rerun).toEqual({
      name: expect.any(String),
      url: expect.stringMatching(/^https:\/\//),
    });
    expect(
      ofType(stage_(stage).run, 'aws:lambda/functionUrl:FunctionUrl').map(
        (url) => url.inputs.authorizationType,
      ),
    ).toEqual(['AWS_IAM']);
    expect(Object.keys(document.workerDlqs).sort()).toEqual(
      topology.workers
        .filter((worker) => worker.trigger.kind !== 'invoke')
        .map((worker) => worker.name)
        .sort(),
    );
  });

  it('gives the CLI a replay target that replays S3 notifications from the notification archive on the default bus', () => {
    const document = parseStageDocument(String(parameter().inputs.value), 'the parameter');
    const target = stageReplayTarget(
      document,
      topology,
      new EventBridgeClient({ region: REGION }),
      async () => [],
    );
    const landing = target.rules.find((rule) => rule.service === 'file-landing');
    expect(landing?.sharedBus).toEqual({
      busArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
      archiveArn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/${document.archives.notifications}`,
    });
    expect(landing?.arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/${landing?.name}`);
    expect(
      target.rules
        .filter((rule) => rule.sharedBus === undefined)
        .every((rule) => rule.arn.includes(`/${document.bus}/`)),
    ).toBe(true);
  });
});
