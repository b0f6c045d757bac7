/**
 * What the in-memory benches report, measured one way: wall time and rows/s of the measured step alone, the
 * process's peak RSS (`maxRSS`, a high-water mark that cannot be reset, so the input's own RSS is reported
 * beside it), and V8 heap used. The measured steps are synchronous, so nothing can sample during them: heap is
 * read just before (input only, after a GC) and just after (live data plus garbage not yet collected).
 */

const MIB = 1024 * 1024;

export const mib = (bytes: number): string => `${Math.round(bytes / MIB).toLocaleString('en')} MiB`;

export const perSecond = (count: number, seconds: number): string =>
  Math.round(count / seconds).toLocaleString('en');

/** The row count a bench was given (`tsx bench/x.bench.ts 200000`), else `fallback`. */
export function rowsArgument(fallback: number): number {
  return Number(process.argv.slice(2).find((arg) => /^[0-9]+$/.test(arg)) ?? fallback);
}

/** Collect garbage when the process runs with `--expose-gc` (bench/run.ts passes it), so heap reads live data. */
export function collectGarbage(): void {
  globalThis.gc?.();
}

export interface MemoryMark {
  /** Peak resident set size of the process so far, bytes. */
  readonly peakRss: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** Heap V8 has reserved; little of it is returned inside a synchronous step, so after one it approximates its peak. */
  readonly heapTotal: number;
}

export function memoryMark(): MemoryMark {
  const usage = process.memoryUsage();
  return {
    peakRss: process.resourceUsage().maxRSS * 1024,
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
  };
}

/** Make a bench's input outside any measurement and print its time and heap (over the runtime's own). */
export function generateInput<T>(make: () => T, describe: (input: T) => { text: string; rows: number }): T {
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  const started = performance.now();
  const input = make();
  const seconds = (performance.now() - started) / 1000;
  collectGarbage();
  const heap = process.memoryUsage().heapUsed - baseline;
  const { text, rows } = describe(input);
  console.log(
    `input: ${text} generated in ${seconds.toFixed(2)} s; heap ${mib(heap)} (${Math.round(heap / Math.max(rows, 1))} B/row)`,
  );
  return input;
}

export interface Measured<T> {
  readonly value: T;
  readonly seconds: number;
  /** After a GC, just before the step: the input alone (plus the runtime). */
  readonly before: MemoryMark;
  /** Just after the step, before any GC. */
  readonly after: MemoryMark;
  /** After a GC that follows the step: input plus the step's result. */
  readonly retainedHeap: number;
}

/** Run one synchronous step with a clean heap before it, and measure it alone. */
export function measure<T>(step: () => T): Measured<T> {
  collectGarbage();
  const before = memoryMark();
  const started = performance.now();
  const value = step();
  const seconds = (performance.now() - started) / 1000;
  const after = memoryMark();
  collectGarbage();
  return { value, seconds, before, after, retainedHeap: process.memoryUsage().heapUsed };
}

/** One line per measured step; the fields the README table is filled from come first. */
export function report(
  name: string,
  count: { rows: number; unit?: string },
  measured: Measured<unknown>,
  detail: string,
): void {
  const { seconds, before, after } = measured;
  const { rows, unit = 'rows' } = count;
  console.log(
    `${name}: ${rows.toLocaleString('en')} ${unit}, ${seconds.toFixed(2)} s → ${perSecond(rows, seconds)} ${unit}/s; ` +
      `peak RSS ${mib(after.peakRss)} (input held: RSS ${mib(before.rss)}, generation peak ${mib(before.peakRss)}); ` +
      `heap used ${mib(after.heapUsed)} at the end (input alone ${mib(before.heapUsed)}, reserved ${mib(after.heapTotal)}, ` +
      `live after GC ${mib(measured.retainedHeap)})\n  ${detail}`,
  );
}
