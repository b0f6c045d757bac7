/**
 * Fisher-Yates, in place: `pick(max)` returns a whole number in 0..max. A seeded pick gives the same order for the
 * same seed (test data, benches); the replay tool picks with Math.random.
 * @example shuffleInPlace(rows, (max) => random.int(0, max))
 */
export function shuffleInPlace<T>(items: T[], pick: (max: number) => number): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = pick(index);
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
