import { type StageDocument, stageDocumentParameter } from '../lib/stage-resources/stage-document.ts';
import { names } from '../stacks/plan/names.ts';
import { physicalName } from '../topology/names.ts';
import type { Topology } from '../topology/types.ts';
import type { LocalBus } from './local-bus.ts';
import { LOCAL_ACCOUNT } from './physical-names.ts';
import type { ProvisionedResources } from './provision.ts';

/**
 * The offline runtime's stage document, the same shape a deployed stage writes to SSM: every rule is on the local
 * bus (S3 notifications included) and one archive holds every event. Operator-invoked functions are the runtime's
 * function URLs (`function-urls.ts`).
 */
export function offlineStageDocument(
  topology: Topology,
  resources: ProvisionedResources,
  bus: Pick<LocalBus, 'archiveName' | 'rules'>,
  functionUrls: Readonly<Record<string, string>> = {},
): StageDocument {
  return {
    app: topology.app,
    stage: resources.stage,
    region: resources.region,
    account: LOCAL_ACCOUNT,
    bus: resources.bus.name,
    archives: { bus: bus.archiveName },
    services: Object.fromEntries(
      Object.entries(resources.services).map(([service, queues]) => [
        service,
        { queue: queues.queue.name, dlq: queues.dlq.name, busDlq: queues.busDlq.name },
      ]),
    ),
    // Offline a worker's failure is logged; no failure queue is provisioned.
    workerDlqs: {},
    unitQueues: Object.fromEntries(
      Object.entries(resources.units).map(([worker, queues]) => [
        worker,
        { queue: queues.queue.name, dlq: queues.dlq.name },
      ]),
    ),
    // Offline the local bus writes the event log itself: no Firehose target, no DLQ for it.
    eventLogDlqs: {},
    rules: Object.fromEntries(
      bus.rules.map((rule) => [
        names.rule(rule.service, rule.subscription),
        { name: rule.name, bus: 'finledger' as const },
      ]),
    ),
    tables: Object.fromEntries(Object.entries(resources.tables).map(([table, { name }]) => [table, name])),
    buckets: Object.fromEntries(
      Object.entries(resources.buckets).map(([bucket, { name }]) => [bucket, name]),
    ),
    functions: Object.fromEntries(
      Object.entries(functionUrls).map(([worker, url]) => [
        worker,
        { name: physicalName(resources.stage, worker), url },
      ]),
    ),
  };
}

/** The SSM parameters the offline runtime serves: its stage document under the name a deployed stage uses. */
export const offlineParameters = (document: StageDocument): Record<string, string> => ({
  [stageDocumentParameter(document.app, document.stage)]: JSON.stringify(document),
});
