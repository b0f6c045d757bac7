import { expect } from 'vitest';
import { scanRuntime } from '../../cli/pan-scan/scan-runtime.ts';
import { formatFinding } from '../../lib/card-data/scan/findings.ts';
import type { Runtime } from '../../runtime/runtime.ts';

/**
 * Run `pan-scan`'s scan over a running test runtime (every bucket, table, queue and the archive) and fail with
 * each finding, masked, if a clear card number is stored anywhere outside `restricted/`.
 * @example it('leaves no clear card number outside restricted/', () => expectNoClearCardNumbers(runtime));
 */
export async function expectNoClearCardNumbers(runtime: Runtime): Promise<void> {
  const report = await scanRuntime(runtime);
  expect(report.findings.map(formatFinding), 'clear card numbers outside restricted/ (masked)').toEqual([]);
  expect(report.errors, 'stores pan-scan could not read').toEqual([]);
}
