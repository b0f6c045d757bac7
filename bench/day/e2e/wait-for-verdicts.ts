import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { registryOf } from '../../../cli/pipeline-state.ts';
import { readyGates } from '../../../config/ready-gates.ts';
import type { DatasetName } from '../../../contracts/datasets/dataset-contract.ts';
import type { Runtime } from '../../../runtime/runtime.ts';
import { readyVerdicts } from '../../../services/rerun/adapters/ready-verdicts.ts';
import type { VerdictPorts } from '../../../services/rerun/ports.ts';

/** A dataset and date's verdict on its current facts, as ready-publisher committed it. */
export interface CurrentVerdict {
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly verdict: 'READY' | 'BLOCKED';
  readonly failedGates: readonly string[];
  readonly committedAt: string;
}

const DATASETS: readonly DatasetName[] = ['transactions', 'settlements'];

/**
 * Wait until every uploaded file is registered and terminal, ready-publisher has committed a verdict under the run id
 * of each dataset's current facts (its own `dayFacts`, as `finledger status` and `rerun` read it), and the runtime is
 * idle (queues empty, nothing in flight, the outbox flushed: `waitForIdle` runs the relay once per check), so no later
 * fact can replace those verdicts. Their `committedAt` is when the day was decided, whenever this poll noticed.
 * Throws with what is still missing at the deadline.
 */
export async function waitForCurrentVerdicts(
  runtime: Runtime,
  options: { files: number; businessDate: string; timeoutMs: number },
): Promise<CurrentVerdict[]> {
  const registry = registryOf(runtime);
  const ports = readyVerdicts(
    DynamoDBDocumentClient.from(runtime.clients.dynamodb),
    runtime.resources.tables.files?.name ?? 'files',
    registry,
    readyGates,
  );
  const deadline = Date.now() + options.timeoutMs;
  let missing = 'nothing checked yet';
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const files = await registry.listAll();
    const open = files.filter((file) => file.stage === 'LANDED').length;
    if (files.length < options.files || open > 0) {
      missing = `${files.length} of ${options.files} files registered, ${open} not yet validated`;
      continue;
    }
    const before = await currentVerdicts(ports, options.businessDate);
    if (typeof before === 'string') {
      missing = before;
      continue;
    }
    try {
      await runtime.waitForIdle({ timeoutMs: 3_000 });
    } catch {
      missing = 'verdicts exist but work is still queued or running';
      continue;
    }
    const after = await currentVerdicts(ports, options.businessDate);
    if (typeof after !== 'string') return after;
    missing = after;
  }
  throw new Error(`The day reached no verdict on current facts within ${options.timeoutMs} ms: ${missing}.`);
}

/** Each dataset's verdict on its current facts, or what is missing. */
async function currentVerdicts(
  ports: VerdictPorts,
  businessDate: string,
): Promise<CurrentVerdict[] | string> {
  const verdicts: CurrentVerdict[] = [];
  for (const dataset of DATASETS) {
    const scope = { dataset, businessDate };
    const runId = await ports.currentReadyRunId(scope);
    const item = (await ports.verdictItems(scope)).find((candidate) => candidate.runId === runId);
    if (!item) return `no ${dataset} verdict on current facts yet`;
    verdicts.push({
      ...scope,
      verdict: item.verdict,
      failedGates: item.failedGates,
      committedAt: item.committedAt,
    });
  }
  return verdicts;
}
