import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Kinds of test file by how long one takes, heaviest first: the process tests (a CLI or the chaos harness in child
 * processes, 10-130 s each), the stack runs of the infra project, the pipeline and other integration tests, then
 * everything else.
 */
const RANKS: readonly (readonly [RegExp, number])[] = [
  [/^(test\/process\/|chaos\/.*\.integration\.test\.ts$)/, 0],
  [/^test\/infra\//, 1],
  [/\.integration\.test\.ts$/, 2],
];

const rankOf = (path: string): number => RANKS.find(([pattern]) => pattern.test(path))?.[1] ?? 3;

/**
 * Vitest's order (longest first by the last run's durations, by file size without them), with the heaviest kinds
 * moved ahead. A clean clone has no durations, and by size alone the chaos test (a small file, over two minutes)
 * ran among the last, alone on one worker while the other had nothing left: 624 s instead of ~480 s.
 */
export class HeaviestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    return sorted
      .map((spec, index) => ({ spec, index, rank: rankOf(relative(root, spec.moduleId)) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
