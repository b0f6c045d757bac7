import type { FileRegistryStore } from '../../../lib/file-registry/file-registry-store.ts';
import type { DedupRunRef } from '../ports.ts';

/**
 * A partner's committed dedup runs of one business date, both datasets: the `files-by-day` index completed by the
 * strongly consistent dedup ledger, so two files deduplicated together cannot both miss each other.
 */
export function registryDedupRuns(store: Pick<FileRegistryStore, 'committedDedupRuns'>) {
  return async (businessDate: string, partner: string): Promise<DedupRunRef[]> => {
    const dedupRuns = await store.committedDedupRuns(businessDate, partner);
    return dedupRuns.map((run) => ({
      fileId: run.fileId,
      partner: run.partner,
      dataset: run.dataset,
      businessDate: run.businessDate,
      schemaV: run.schemaV,
      runId: run.runId,
      unique: run.unique,
      uniqueRows: run.counts.unique,
      committedAt: run.committedAt,
    }));
  };
}

/**
 * A partner's files of one business date validated by their current run whose dedup record is not committed yet,
 * from strongly consistent reads (the index only says which files the date has).
 */
export function registryFilesAwaitingDedup(store: Pick<FileRegistryStore, 'listDayConsistent'>) {
  return async (businessDate: string, partner: string): Promise<string[]> => {
    const { files, dedupRuns } = await store.listDayConsistent(businessDate, { partner });
    const deduplicated = new Set(dedupRuns.map((run) => `${run.fileId}:${run.runId}`));
    return files
      .filter((file) => file.stage === 'VALIDATED' && !deduplicated.has(`${file.fileId}:${file.runId}`))
      .map((file) => file.fileId)
      .sort();
  };
}
