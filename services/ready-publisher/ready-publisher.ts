import type { DatasetBlockedPayload } from '../../contracts/events/dataset-blocked.ts';
import type { DatasetReadyPayload, GateOutcome } from '../../contracts/events/dataset-ready.ts';
import { evaluateGates } from './evaluate-gates.ts';
import type { GateEvaluation, GateResult, ReconciliationFact } from './gate-facts.ts';
import { readyMarkerKey } from './gold-keys.ts';
import type { GoldPartition } from './gold-partition.ts';
import { readyMarkerBytes, readyMarkerOf } from './ready-marker.ts';

export { evaluateGates };

/** An object the handler writes to the gold bucket, in order (the marker last); never over an existing key. */
export interface GoldObject {
  readonly key: string;
  readonly contentType: string;
  /** Its bytes: a part from the writer's spool, one at a time, or the marker. */
  readonly read: () => Promise<Uint8Array>;
}

export type PublicationPlan =
  | {
      readonly kind: 'blocked';
      readonly gates: readonly GateResult[];
      readonly payload: DatasetBlockedPayload;
    }
  | {
      readonly kind: 'ready';
      readonly gates: readonly GateResult[];
      readonly objects: readonly GoldObject[];
      readonly payload: DatasetReadyPayload;
    };

const outcome = ({ name, detail, observed, threshold }: GateResult): GateOutcome => ({
  name,
  detail,
  observed,
  threshold,
});

/** DatasetBlocked v1 payload of gates with at least one failure. */
export function blockedPayloadOf(
  target: { dataset: GateEvaluation['dataset']; businessDate: string; runId: string },
  gates: readonly GateResult[],
): DatasetBlockedPayload {
  return {
    dataset: target.dataset,
    businessDate: target.businessDate,
    runId: target.runId,
    failedGates: gates.filter((gate) => !gate.passed).map(outcome),
    passedGates: gates.filter((gate) => gate.passed).map(outcome),
  };
}

/**
 * Gold must hold exactly what each partner's reconciliation found curated: rows and every currency's sum.
 * Catches a handler that read the wrong unique parts, or rows that changed after reconciliation.
 */
export function goldMatchesReconciliation(
  partition: GoldPartition,
  reconciliations: readonly ReconciliationFact[],
): GateResult[] {
  const expected = new Map(reconciliations.map((fact) => [fact.partner, fact.curated]));
  const partners = [...new Set([...expected.keys(), ...Object.keys(partition.byPartner)])].sort();
  return partners.map((partner) => {
    const name = `gold-matches-reconciliation:${partner}`;
    const want = expected.get(partner);
    const got = partition.byPartner[partner] ?? { rows: 0, sums: {} };
    const seen = `${got.rows} rows, ${JSON.stringify(got.sums)}`;
    if (!want) {
      return {
        name,
        passed: false,
        detail: `Gold holds ${seen} of ${partner}, which no reconciliation covers.`,
        observed: seen,
        threshold: null,
      };
    }
    const wanted = `${want.rows} rows, ${JSON.stringify(nonZero(want.sums))}`;
    const passed =
      want.rows === got.rows && JSON.stringify(nonZero(want.sums)) === JSON.stringify(nonZero(got.sums));
    return {
      name,
      passed,
      detail: passed
        ? `Gold holds what reconciliation found curated for ${partner}: ${seen}.`
        : `Gold holds ${seen} of ${partner}; reconciliation found ${wanted} curated. Nothing was published; check which unique parts were read.`,
      observed: seen,
      threshold: wanted,
    };
  });
}

/** Sums without zero entries, currencies sorted, so "no EUR" and "EUR 0" compare equal. */
function nonZero(sums: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(sums)
      .sort()
      .filter((currency) => BigInt(sums[currency] as string) !== 0n)
      .map((currency) => [currency, BigInt(sums[currency] as string).toString()]),
  );
}

/**
 * Decide what to publish for a dataset and business date, given the gates evaluated now and the gold partition
 * built from the curated rows (`buildGoldPartition`, under this run's prefix, beside earlier runs).
 *
 * Primary course:
 * 1. A failed gate: DatasetBlocked listing every failed and passed gate; nothing is written.
 * 2. Check gold against each partner's reconciliation (rows and sums); a mismatch blocks like a failed gate.
 * 3. Ready: the parts, then the `_READY.json` marker (written last), and the DatasetReady payload.
 */
export function planPublication(input: {
  readonly evaluation: GateEvaluation;
  readonly runId: string;
  readonly schemaV: number;
  readonly bucket: string;
  readonly createdAt: Date;
  readonly partition: GoldPartition;
  readonly reconciliations: readonly ReconciliationFact[];
}): PublicationPlan {
  const { evaluation, runId, partition } = input;
  const target = { dataset: evaluation.dataset, businessDate: evaluation.businessDate, runId };
  if (!evaluation.ready) {
    return { kind: 'blocked', gates: evaluation.gates, payload: blockedPayloadOf(target, evaluation.gates) };
  }
  const gates = [...evaluation.gates, ...goldMatchesReconciliation(partition, input.reconciliations)];
  if (!gates.every((gate) => gate.passed)) {
    return { kind: 'blocked', gates, payload: blockedPayloadOf(target, gates) };
  }
  const marker = readyMarkerOf(partition, gates, input.createdAt);
  const markerKey = readyMarkerKey(partition.prefix);
  return {
    kind: 'ready',
    gates,
    objects: [
      ...partition.parts.map((part) => ({
        key: part.key,
        contentType: 'application/vnd.apache.parquet',
        read: part.read,
      })),
      { key: markerKey, contentType: 'application/json', read: async () => readyMarkerBytes(marker) },
    ],
    payload: {
      dataset: evaluation.dataset,
      businessDate: evaluation.businessDate,
      schemaV: input.schemaV,
      runId,
      gold: {
        bucket: input.bucket,
        prefix: partition.prefix,
        parts: partition.parts.map((part) => part.key),
      },
      marker: { bucket: input.bucket, key: markerKey },
      contentHash: partition.contentHash,
      rowCount: partition.rowCount,
      sums: partition.sums,
      gates: gates.map(outcome),
    },
  };
}
