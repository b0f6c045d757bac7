/**
 * Run `work` over `items`, at most `limit` at a time, results in item order. `stop` is asked before each item: once
 * true, no new item starts (those running finish) and `complete` is false.
 * @example const { results } = await mapInFlight(parts, 4, copyPart)
 */
export async function mapInFlight<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<{ results: R[]; complete: boolean }> {
  const results: R[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (next < items.length && !stopped) {
      if (stop()) {
        stopped = true;
        break;
      }
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return { results: results.filter((result) => result !== undefined), complete: next >= items.length };
}
