/** Deterministic partner files with ground truth, for `npm start`, tests and benches. */
export {
  type BadFile,
  type BadFileExpectation,
  type BadFileName,
  badFiles,
  HUGE_FIELD_BYTES,
} from './bad-files.ts';
export { csvLine, trailerLine } from './csv.ts';
export type { DefectKind, InjectedDefect } from './defects.ts';
export { encodeWindows1252, latin1Bytes } from './encoding.ts';
export { generateLargeFile, type LargeFileOptions } from './large-file.ts';
export { CURRENCY_EXPONENTS, formatMajor } from './money.ts';
export { SETTLEMENT_COLUMNS, TRANSACTION_COLUMNS } from './rows.ts';
export {
  type ExpectedFile,
  fileNameOf,
  generateSampleSet,
  landingKeyOf,
  type SampleFile,
  type SampleSetOptions,
  TEST_PANS,
} from './sample-set.ts';
