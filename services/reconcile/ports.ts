import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { DayListing } from '../../lib/file-registry/file-registry-store.ts';

/** One reconciliation's scope: a partner's files of one dataset and business date. */
export interface ReconcileScope {
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
}

/** What reconciling needs from the world: the registry's facts of a day (file records and dedup runs). */
export interface ReconcilePorts {
  listDay(businessDate: string, filter: { dataset: DatasetName; partner: string }): Promise<DayListing>;
}
