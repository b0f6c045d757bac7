import { physicalName } from '../topology/names.ts';
import type { Topology } from '../topology/types.ts';

/** The account id every emulator (fauxqs, the local bus) uses in ARNs. */
export const LOCAL_ACCOUNT = '000000000000';

/**
 * Physical names of one service's queues.
 * `busDlq` mirrors the DLQ an EventBridge rule target gets in AWS: events the bus could not deliver.
 * @example serviceQueueNames('local', 'schema-validate').dlq // 'finledger-local-schema-validate-dlq'
 */
export function serviceQueueNames(
  stage: string,
  service: string,
): { queue: string; dlq: string; busDlq: string } {
  const queue = physicalName(stage, service);
  return { queue, dlq: `${queue}-dlq`, busDlq: `${queue}-bus-dlq` };
}

/**
 * Physical names of a unit worker's queue and the DLQ it redrives to (no bus DLQ: no rule targets it).
 * @example unitQueueNames('local', 'schema-validate-chunk').dlq // 'finledger-local-schema-validate-chunk-dlq'
 */
export function unitQueueNames(stage: string, worker: string): { queue: string; dlq: string } {
  const { queue, dlq } = serviceQueueNames(stage, worker);
  return { queue, dlq };
}

/**
 * Physical bus name. `topology.busName` already carries the app prefix, so it is stripped to get the
 * logical name before `physicalName` adds app and stage.
 * @example busPhysicalName(topology, 'local') // 'finledger-local-bus'
 */
export function busPhysicalName(topology: Pick<Topology, 'app' | 'busName'>, stage: string): string {
  const prefix = `${topology.app}-`;
  const logical = topology.busName.startsWith(prefix)
    ? topology.busName.slice(prefix.length)
    : topology.busName;
  return physicalName(stage, logical);
}

/** SQS queue ARN as fauxqs builds it. */
export const queueArn = (region: string, name: string): string =>
  `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${name}`;

/** EventBridge bus ARN. */
export const busArn = (region: string, name: string): string =>
  `arn:aws:events:${region}:${LOCAL_ACCOUNT}:event-bus/${name}`;
