import { topology } from '../../../topology/topology.ts';
import type { Topology, WorkerSpec } from '../../../topology/types.ts';

/** The unit worker the infra tests add to finledger's topology (a name of its own, so it never meets a real one). */
export const UNIT_PROBE = 'unit-probe';

/** The service that feeds it. */
export const UNIT_PROBE_SENDER = 'schema-validate';

/**
 * finledger's topology plus one unit worker fed by `from`.
 * @example buildPlan(withUnitWorker(), stageConfig('dev', {}))
 */
export function withUnitWorker(from: string = UNIT_PROBE_SENDER): Topology {
  const probe: WorkerSpec = {
    name: UNIT_PROBE,
    handler: 'services/schema-validate/chunk-handler.ts',
    trigger: { kind: 'units', from },
    function: { memoryMb: 1024, timeoutSeconds: 300, batchSize: 2 },
    tables: ['files', 'idempotency'],
    buckets: { raw: { mode: 'read' } },
  };
  return { ...topology, workers: [...topology.workers, probe] };
}
