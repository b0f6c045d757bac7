import type { RecordedWork, UnitLedger } from '../unit-ledger.ts';

/** A unit ledger in memory, with the DynamoDB ledger's once-only semantics (for unit tests of unit workers). */
export function memoryUnitLedger<Work, Result extends { readonly index: number }>(): UnitLedger<
  Work,
  Result
> {
  const works = new Map<string, RecordedWork<Work>>();
  const results = new Map<string, Map<number, Result>>();
  const id = (scope: string, runId: string) => `${scope}#${runId}`;
  return {
    async recordWork(scope, runId, work) {
      const key = id(scope, runId);
      if (!works.has(key)) works.set(key, { work: structuredClone(work), done: 0 });
      return works.get(key) as RecordedWork<Work>;
    },
    work: async (scope, runId) => works.get(id(scope, runId)),
    hasResult: async (scope, runId, index) => results.get(id(scope, runId))?.has(index) ?? false,
    async recordResult(scope, runId, result) {
      const key = id(scope, runId);
      const recorded = works.get(key);
      if (!recorded) throw new Error(`no work recorded for ${key}`);
      const run = results.get(key) ?? new Map<number, Result>();
      results.set(key, run);
      if (!run.has(result.index)) {
        run.set(result.index, structuredClone(result));
        works.set(key, { ...recorded, done: recorded.done + 1 });
      }
      return works.get(key)?.done ?? 0;
    },
    results: async (scope, runId) =>
      [...(results.get(id(scope, runId))?.values() ?? [])].sort((a, b) => a.index - b.index),
  };
}
