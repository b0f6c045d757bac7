import type { ObjectRef } from '../../contracts/events/envelope.ts';

/** A complete gold partition of a date: what its `_READY.json` marker says (services/ready-publisher/ready-marker.ts). */
export interface ReadyPartitionFact {
  readonly runId: string;
  /** The marker's `createdAt`: when ready-publisher published the partition. */
  readonly createdAt: string;
  readonly schemaV: number;
  readonly marker: ObjectRef;
  /** Keys of the partition's Parquet parts, as the marker lists them. */
  readonly parts: readonly string[];
}

/** A readiness verdict committed for a dataset and date (ready-publisher's `READY#<dataset>#<date>` items). */
export interface VerdictFact {
  readonly verdict: 'READY' | 'BLOCKED';
  readonly runId: string;
  readonly committedAt: string;
  readonly failedGates: readonly string[];
}

const instant = (text: string): number => {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

/** The item with the latest instant, the greater run id on a tie, so the choice does not depend on listing order. */
function latest<T extends { readonly runId: string }>(
  items: readonly T[],
  at: (item: T) => string,
): T | null {
  return (
    [...items].sort((a, b) => instant(at(a)) - instant(at(b)) || a.runId.localeCompare(b.runId)).at(-1) ??
    null
  );
}

/**
 * The partition of the date's latest READY: the newest marker `createdAt` (the greater run id on a tie, so the
 * choice does not depend on listing order). Only marked partitions are given: one without its marker is incomplete.
 * @example latestReadyOf([old, rerun])?.runId // rerun.runId
 */
export function latestReadyOf(partitions: readonly ReadyPartitionFact[]): ReadyPartitionFact | null {
  return latest(partitions, (partition) => partition.createdAt);
}

/**
 * The latest verdict committed for the date, READY or BLOCKED (the greater run id on a tie).
 * @example latestVerdictOf(items)?.verdict // 'BLOCKED'
 */
export function latestVerdictOf(items: readonly VerdictFact[]): VerdictFact | null {
  return latest(items, (item) => item.committedAt);
}
