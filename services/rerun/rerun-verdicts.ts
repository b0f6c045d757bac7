import type { DatasetName } from '../../config/partners.ts';
import type { RerunRecord, RunMemberRecord } from '../../lib/file-registry/run-record.ts';
import type { VerdictItem, VerdictPorts, VerdictScope } from './ports.ts';

export type { VerdictItem, VerdictScope };

/** What a rerun changed about a scope's readiness. */
export interface ScopeVerdict extends VerdictScope {
  /** The verdict on the registry's facts as they are now (after the rerun): the ready run id those facts define. */
  readonly current: {
    readonly runId: string | null;
    /** PENDING: ready-publisher has not committed a verdict on these facts (yet). */
    readonly verdict: 'READY' | 'BLOCKED' | 'PENDING';
    readonly contentHash: string | null;
    readonly failedGates: readonly string[];
  };
  /** The latest READY committed before the rerun was requested, if any. */
  readonly previousReady: {
    readonly runId: string;
    readonly contentHash: string;
    readonly committedAt: string;
  } | null;
  /** Whether gold of the current READY has the previous READY's content hash; null when either is missing. */
  readonly sameContent: boolean | null;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The scopes a run touched: each dataset and business date with at least one member, in order.
 * @example scopesOf(members) // [{ dataset: 'settlements', businessDate: '2026-11-20' }, …]
 */
export function scopesOf(members: readonly RunMemberRecord[]): VerdictScope[] {
  const keys = [...new Set(members.map((member) => `${member.businessDate}#${member.dataset}`))].sort(byText);
  return keys.map((key) => {
    const [businessDate, dataset] = key.split('#') as [string, DatasetName];
    return { dataset, businessDate };
  });
}

/**
 * Compare a scope's verdict on the current facts with the latest READY before the rerun.
 * @example compareVerdict(scope, 'ready_…', items, run.requestedAt).sameContent // true
 */
export function compareVerdict(
  scope: VerdictScope,
  currentRunId: string | null,
  items: readonly VerdictItem[],
  requestedAt: string,
): ScopeVerdict {
  const current =
    currentRunId === null
      ? undefined
      : (items.find((item) => item.runId === currentRunId && item.verdict === 'READY') ??
        items.find((item) => item.runId === currentRunId));
  const previous = items
    .filter((item) => item.verdict === 'READY' && item.committedAt < requestedAt && item.contentHash !== null)
    .sort((a, b) => byText(a.committedAt, b.committedAt))
    .at(-1);
  const currentHash = current?.verdict === 'READY' ? current.contentHash : null;
  return {
    ...scope,
    current: {
      runId: currentRunId,
      verdict: current?.verdict ?? 'PENDING',
      contentHash: currentHash,
      failedGates: current?.failedGates ?? [],
    },
    previousReady: previous
      ? {
          runId: previous.runId,
          contentHash: previous.contentHash as string,
          committedAt: previous.committedAt,
        }
      : null,
    sameContent: previous && currentHash !== null ? previous.contentHash === currentHash : null,
  };
}

/**
 * Per scope the run touched: the verdict on the facts as they are now and whether gold kept its content hash.
 * Call it once the run is done and the pipeline idle, or the verdicts are PENDING.
 */
export async function rerunVerdicts(
  run: RerunRecord,
  members: readonly RunMemberRecord[],
  ports: VerdictPorts,
): Promise<ScopeVerdict[]> {
  const verdicts: ScopeVerdict[] = [];
  for (const scope of scopesOf(members)) {
    const [currentRunId, items] = await Promise.all([
      ports.currentReadyRunId(scope),
      ports.verdictItems(scope),
    ]);
    verdicts.push(compareVerdict(scope, currentRunId, items, run.requestedAt));
  }
  return verdicts;
}
