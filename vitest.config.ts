import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    exclude: ['node_modules/**', '.sst/**', '.finledger/**'],
    // Integration suites start their own emulators on free ports; run files in parallel but keep
    // each file's tests sequential so one emulator set serves a file.
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
