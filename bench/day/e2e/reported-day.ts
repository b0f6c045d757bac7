import type { PipelineReport } from '../../../cli/report.ts';
import type { DatasetName } from '../../../config/partners.ts';
import type { FileRecord } from '../../../lib/file-registry/file-record.ts';
import { addSums, type PartnerCounts, sumsRecord } from '../day-counts.ts';

const DATASETS: readonly DatasetName[] = ['transactions', 'settlements'];

/**
 * Per partner, what the end-to-end run reported: `finledger status`'s report (quarantined rows, dedup outcomes of each
 * file's current run, the current match run) plus the registry's valid totals.
 */
export function reportedCounts(
  report: PipelineReport,
  files: readonly FileRecord[],
  businessDate: string,
): PartnerCounts[] {
  const partners = [...new Set(report.files.map((file) => file.partner))].sort();
  return partners.map((partner) => {
    const rows = report.files.filter(
      (file) => file.partner === partner && file.businessDate === businessDate,
    );
    const per = (pick: (row: PipelineReport['files'][number]) => number | null | undefined) =>
      Object.fromEntries(
        DATASETS.map((dataset) => [
          dataset,
          rows.filter((row) => row.dataset === dataset).reduce((total, row) => total + (pick(row) ?? 0), 0),
        ]),
      ) as Record<DatasetName, number>;
    const match = report.matching.find((row) => row.partner === partner && row.asOf === businessDate);
    const validSums = Object.fromEntries(
      DATASETS.map((dataset) => {
        const sums = new Map<string, bigint>();
        for (const file of files)
          if (file.partner === partner && file.dataset === dataset && file.businessDate === businessDate)
            addSums(sums, file.validTotals?.sums);
        return [dataset, sumsRecord(sums)];
      }),
    ) as PartnerCounts['validSums'];
    return {
      partner,
      rows: per((row) => row.rowsIn),
      invalid: per((row) => row.quarantined),
      duplicates: per((row) => row.dedup?.duplicates),
      conflicts: per((row) => row.dedup?.conflicts),
      matching: match
        ? {
            transactions: match.counts.transactions,
            matched: match.counts.matched,
            partiallySettled: match.counts.partiallySettled,
            unmatched: match.counts.unmatched,
            mismatched: match.counts.mismatched,
            settlements: match.counts.settlements,
            orphanSettlements: match.counts.orphanSettlements,
          }
        : null,
      validSums,
    };
  });
}
