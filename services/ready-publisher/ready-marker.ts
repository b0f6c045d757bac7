import type { GateResult } from './gate-facts.ts';
import { GOLD_CONTENT_FORMAT } from './gold-content.ts';
import type { GoldPartition } from './gold-partition.ts';

/** `_READY.json`: what was published, how to check it, and the gates it passed. */
export interface ReadyMarker {
  readonly dataset: string;
  readonly businessDate: string;
  readonly schemaV: number;
  readonly runId: string;
  readonly contentHash: string;
  readonly contentHashFormat: string;
  readonly parts: readonly { key: string; sha256: string; rowCount: number; sizeBytes: number }[];
  readonly rowCount: number;
  readonly sums: Record<string, string>;
  readonly gates: readonly GateResult[];
  readonly createdAt: string;
}

/** The marker of a partition; `createdAt` is the only field a rerun over unchanged data changes besides the run id. */
export function readyMarkerOf(
  partition: GoldPartition,
  gates: readonly GateResult[],
  createdAt: Date,
): ReadyMarker {
  return {
    dataset: partition.target.dataset,
    businessDate: partition.target.businessDate,
    schemaV: partition.target.schemaV,
    runId: partition.target.runId,
    contentHash: partition.contentHash,
    contentHashFormat: GOLD_CONTENT_FORMAT,
    parts: partition.parts.map((part) => ({
      key: part.key,
      sha256: part.sha256,
      rowCount: part.rowCount,
      sizeBytes: part.sizeBytes,
    })),
    rowCount: partition.rowCount,
    sums: partition.sums,
    gates,
    createdAt: createdAt.toISOString(),
  };
}

/** Marker bytes: pretty JSON with a trailing newline (field order is fixed by `readyMarkerOf`). */
export const readyMarkerBytes = (marker: ReadyMarker): Uint8Array =>
  new TextEncoder().encode(`${JSON.stringify(marker, null, 2)}\n`);
