import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { HeaviestFirstSequencer } from './test/heaviest-first.sequencer.ts';

const SHARED_EXCLUDES = ['node_modules/**', '.sst/**', '.finledger/**'];

export default defineConfig({
  test: {
    setupFiles: ['test/setup-env.ts'],
    // Integration suites start their own emulators on free ports; run files in parallel but keep
    // each file's tests sequential so one emulator set serves a file.
    fileParallelism: true,
    // At least two files at once, even on two cores (vitest's default would be one): most of a file's time is spent
    // waiting on emulators, DynamoDB Local's JVM and child processes, so a second file fills the gaps (suite 678 s
    // with one worker, 478 s with two on the 2-core development machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Longest kinds of file first, so two workers finish together (test/heaviest-first.sequencer.ts).
    sequence: { sequencer: HeaviestFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    allowOnly: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          exclude: SHARED_EXCLUDES,
          // The stack runs under Pulumi mocks once per worker (test/infra/harness/stages.ts), not once per file:
          // these files only read what the run declared.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'finledger',
          include: ['**/*.test.ts'],
          globalSetup: ['test/shared-dynamodb.global-setup.ts'],
          exclude: [...SHARED_EXCLUDES, 'test/infra/**'],
        },
      },
    ],
  },
});
