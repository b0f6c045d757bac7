import { z } from 'zod';
import { type DatasetContract, silverColumnsOf } from './dataset-contract.ts';
import { SettlementsV1 } from './settlements.ts';
import { TransactionsV1 } from './transactions.ts';

/** Every dataset contract version finledger validates against. The registry and schema-validate read this list. */
// Widened to string rows: safe because `toSilver` only ever receives what the same contract's `rowSchema` parsed.
export const datasetCatalog: readonly DatasetContract[] = [
  TransactionsV1 as unknown as DatasetContract,
  SettlementsV1 as unknown as DatasetContract,
];

/** The contract for a dataset and version, or undefined when none exists. */
export function findDataset(name: string, version: number): DatasetContract | undefined {
  return datasetCatalog.find((contract) => contract.name === name && contract.version === version);
}

/**
 * JSON Schema of one CSV row (all fields are strings; money and card rules that need code are refinements
 * and so are not in the JSON Schema), plus the contract's metadata under `x-finledger`.
 * @example datasetJsonSchema(TransactionsV1)
 */
export function datasetJsonSchema(contract: DatasetContract): Record<string, unknown> {
  return {
    ...z.toJSONSchema(contract.rowSchema),
    title: `${contract.name} v${contract.version}`,
    description: contract.description,
    'x-finledger': {
      dataset: contract.name,
      version: contract.version,
      columns: contract.columns,
      naturalKey: contract.naturalKey,
      instants: contract.instants,
      silverColumns: silverColumnsOf(contract),
    },
  };
}

export { SettlementsV1, TransactionsV1 };
