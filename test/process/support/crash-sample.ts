import { generateSampleSet, type SampleFile } from '../../sample-data/index.ts';

/** The line the crashing child prints, followed by JSON, once the FileLanded sits committed in the outbox. */
export const COMMITTED_MARKER = 'OUTBOX-COMMITTED ';

/** What the child reports with the marker. */
export interface CommittedReport {
  readonly eventId: string;
  readonly fileId: string;
  readonly landingKey: string;
  readonly childPid: number;
  readonly dynamodbPid: number;
}

/** One clean partner file (no defects, no card numbers), the same bytes in the child and in the test. */
export function crashSample(): SampleFile {
  const [file] = generateSampleSet({ seed: 4242, dates: ['2026-11-20'], rowsPerFile: 30, defects: 'none' });
  if (!file) throw new Error('The sample set is empty; check generateSampleSet and config/partners.ts.');
  return file;
}
