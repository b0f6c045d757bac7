import { randomUUID } from 'node:crypto';
import { readyGates } from '../../config/ready-gates.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { resources } from '../../lib/resources.ts';
import { dynamoRerunRegistry } from './adapters/dynamo-rerun-registry.ts';
import { readyVerdicts } from './adapters/ready-verdicts.ts';
import { s3RawSnapshots } from './adapters/s3-raw-snapshots.ts';
import type { RerunPorts, VerdictPorts } from './ports.ts';

export interface RerunSideEffects {
  readonly rerun: RerunPorts;
  readonly verdicts: VerdictPorts;
}

/**
 * The only place a rerun builds SDK clients and reads resource names (the `files` and `outbox` tables as linked, or
 * as the offline runtime sets them). Built on first use per environment, never at import.
 */
export const sideEffects: () => RerunSideEffects = perEnvironment(build);

function build(): RerunSideEffects {
  const clients = sharedAwsClients();
  const files = resources.table('files');
  return {
    rerun: {
      ...dynamoRerunRegistry(clients.doc, { files, outbox: resources.table('outbox') }),
      ...s3RawSnapshots(clients.s3),
      now: () => new Date(),
      newId: randomUUID,
    },
    verdicts: readyVerdicts(clients.doc, files, new FileRegistryStore(clients.doc, files), readyGates),
  };
}
