import type { Random } from '../test/sample-data/prng.ts';

/** Fisher-Yates in place with a seeded source: the same seed gives the same order. */
export function shuffle<T>(rows: T[], random: Random): T[] {
  for (let index = rows.length - 1; index > 0; index -= 1) {
    const other = random.int(0, index);
    [rows[index], rows[other]] = [rows[other] as T, rows[index] as T];
  }
  return rows;
}
