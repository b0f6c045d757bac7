import { PRICES_LOOKED_UP_ON, PRICES_REGION } from '../../../config/aws-list-prices.ts';
import type { DaySizeResult } from '../day-bench.ts';
import { DAYS_PER_MONTH, DESIGN_RECORDS_PER_DAY, KEY_RETENTION_DAYS } from './monthly-cost.ts';

/** Where and how the results were measured: the numbers mean little without the machine and its load. */
export interface BenchMachine {
  readonly measuredAt: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly loadAverageAtStart: readonly number[];
  readonly node: string;
  readonly seed: number;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const count = (value: number) => Math.round(value).toLocaleString('en');
const usd = (value: number) =>
  `$${value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 2 : 0 })}`;
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
const cell = (value: number | null) => (value === null ? '—' : count(value));

/** The results as the Markdown page the README links (bench/results/latest.md). */
export function resultsMarkdown(machine: BenchMachine, sizes: readonly DaySizeResult[]): string {
  const lines = [
    '# Day bench: latest results',
    '',
    `Measured ${machine.measuredAt} with \`npm run bench\` (bench/README.md) on ${machine.cpus} × ${machine.cpuModel}, ` +
      `${fixed(machine.memoryGiB)} GiB RAM, load average ${machine.loadAverageAtStart.map((load) => fixed(load, 2)).join(' / ')} ` +
      `at the start (other work shares the machine: times are ±20 % or worse); Node ${machine.node}; seed ${machine.seed}.`,
    '',
    '## End to end offline vs the bare DuckDB SQL job (same files)',
    '',
    '| records | files | MiB | end to end, s | records/s | bare SQL, s | ratio | peak RSS end to end | peak RSS bare | verdicts |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...sizes.map(summaryRow),
    '',
    "End to end: first upload to the last verdict on current facts (`committedAt`), `npm start`'s runtime on a fresh " +
      "state folder. Peak RSS: the process tree (Node, DynamoDB Local's JVM) sampled every 200 ms during the measured " +
      'phase. Bare SQL: one DuckDB session reading the same CSV files, validating, deduplicating, matching, summing and ' +
      'writing Parquet.',
  ];
  lines.push('', ...targetLines(sizes));
  for (const size of sizes) lines.push('', ...sizeSection(size));
  lines.push(
    '',
    '## How to read the cost',
    '',
    `List prices of ${PRICES_REGION} from \`config/aws-list-prices.ts\` (looked up ${PRICES_LOOKED_UP_ON}; most from secondary ` +
      `sources quoting the AWS pages, see each entry). Requests per 1M records are the per-record calls of the run (every ` +
      `call of a service handler, of the outbox relay when it found work, of the event source mapping when it received ` +
      `something, the bus's deliveries to queues and the partners' uploads), scaled linearly to ${count(DESIGN_RECORDS_PER_DAY)} ` +
      `records a day × ${DAYS_PER_MONTH} days. Left out and listed: idle polls, the completeness watchdog (a fixed ` +
      `schedule), the runtime's stand-ins for free AWS features (S3 event notifications) and its in-flight journal. ` +
      `Lambda GB-seconds come from handler durations measured offline on a shared 2-core machine (an upper bound). ` +
      `Linear scaling overstates per-file costs when the bench's files are smaller than production's (about 600K ` +
      `records per file at 200 files a day). Key history: live segment bytes per key × ${count(DESIGN_RECORDS_PER_DAY)} × ` +
      `${KEY_RETENTION_DAYS} days at S3 Standard's first-tier price.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Issue #11's targets beside what each size measured (reported, never asserted). */
function targetLines(sizes: readonly DaySizeResult[]): string[] {
  const lines = [
    'Issue #11 targets: a 1M-record day ≤ 60 s drop to verdict; end to end ≤ 3× the bare job; ≤ $1,500/month at 120M records/day.',
    '',
  ];
  for (const size of sizes) {
    const seconds = size.endToEnd.ok ? `${fixed(size.endToEnd.result.seconds)} s` : 'no verdict';
    const ratio = size.ratio === null ? '—' : `${fixed(size.ratio)}×`;
    const month = size.cost ? usd(size.cost.totalUsd) : '—';
    lines.push(`- ${count(size.records)} records: ${seconds}, ratio ${ratio}, ${month}/month projected.`);
  }
  return lines;
}

function summaryRow(size: DaySizeResult): string {
  const e2e = size.endToEnd;
  const bare = size.bare;
  const e2eSeconds = e2e.ok ? fixed(e2e.result.seconds) : `failed`;
  const rate = e2e.ok ? count(size.records / e2e.result.seconds) : '—';
  const verdicts = e2e.ok
    ? e2e.result.verdicts
        .map(
          (verdict) =>
            `${verdict.dataset} ${verdict.verdict}${verdict.failedGates.length > 0 ? ` (${verdict.failedGates.join(', ')})` : ''}`,
        )
        .join('; ')
    : (e2e.error.split('\n')[0] ?? '');
  return `| ${count(size.records)} | ${size.files} | ${fixed(size.bytes / 1024 ** 2)} | ${e2eSeconds} | ${rate} | ${bare.ok ? fixed(bare.result.seconds, 2) : 'failed'} | ${size.ratio === null ? '—' : `${fixed(size.ratio)}×`} | ${gib(e2e.peakRssBytes)} | ${bare.ok ? gib(bare.peakRssBytes) : '—'} | ${verdicts} |`;
}

function sizeSection(size: DaySizeResult): string[] {
  const title = `${count(size.records)} records`;
  const lines = [
    `## ${title}: injected vs reported`,
    '',
    '| what | injected | end to end | bare SQL |',
    '| --- | ---: | ---: | ---: |',
    ...size.comparison.rows.map(
      (row) => `| ${row.what} | ${count(row.injected)} | ${cell(row.endToEnd)} | ${cell(row.bare)} |`,
    ),
    `| valid sums per currency equal to the truth | — | ${agreement(size.comparison.validSumsAgree.endToEnd)} | ${agreement(size.comparison.validSumsAgree.bare)} |`,
    '',
    size.comparison.differences.length === 0
      ? "Every partner's counts equal the ground truth on both sides."
      : `Differences:\n${size.comparison.differences.map((difference) => `- ${difference}`).join('\n')}`,
  ];
  if (size.endToEnd.ok) lines.push('', ...timeSection(title, size), '', ...costSection(title, size));
  else lines.push('', `End to end failed: \`${size.endToEnd.error.split('\n')[0]}\``);
  if (size.bare.ok)
    lines.push(
      '',
      `Bare SQL steps: ${size.bare.result.steps.map((step) => `${step.name} ${fixed(step.seconds, 2)} s`).join(', ')}; ` +
        `${count(size.bare.result.parquet.bytes / 1024)} KiB of Parquet in ${size.bare.result.parquet.files} files; DuckDB ${size.bare.result.duckdbVersion}.`,
    );
  return lines;
}

const agreement = (value: boolean | null) => (value === null ? '—' : value ? 'yes' : 'NO');

function timeSection(title: string, size: DaySizeResult): string[] {
  if (!size.endToEnd.ok) return [];
  const { result } = size.endToEnd;
  return [
    `### ${title}: where the end-to-end time went`,
    '',
    `Uploads took ${fixed(result.uploadSeconds)} s of ${fixed(result.seconds)} s. Events published (first and last, seconds after the first upload):`,
    '',
    '| event | count | first, s | last, s |',
    '| --- | ---: | ---: | ---: |',
    ...result.stages.map(
      (stage) =>
        `| ${stage.type} | ${stage.events} | ${fixed(stage.firstSeconds)} | ${fixed(stage.lastSeconds)} |`,
    ),
    '',
    '| function | invocations | handler time, s (sum; concurrent handlers overlap) |',
    '| --- | ---: | ---: |',
    ...result.invocations.map(
      (tally) => `| ${tally.actor} | ${tally.invocations} | ${fixed(tally.seconds)} |`,
    ),
  ];
}

function costSection(title: string, size: DaySizeResult): string[] {
  const cost = size.cost;
  if (!cost) return [];
  const leftOut = Object.entries(cost.leftOut)
    .map(([kind, calls]) => `${kind} ${count(calls)}`)
    .join(', ');
  return [
    `### ${title}: AWS requests per 1M records and the month at ${count(DESIGN_RECORDS_PER_DAY)} records/day`,
    '',
    '| service | call | calls / 1M records | billed / 1M records | $/month |',
    '| --- | --- | ---: | ---: | ---: |',
    ...cost.calls.map(
      (call) =>
        `| ${call.service} | ${call.operation} | ${count(call.callsPerMillion)} | ${count(call.billedPerMillion)} ${call.unit} | ${usd(call.monthlyUsd)} |`,
    ),
    `| Lambda | invocations, GB-s | ${count(cost.lambda.invocationsPerMillion)} | ${count(cost.lambda.gbSecondsPerMillion)} GB-s | ${usd(cost.lambda.monthlyUsd)} |`,
    '',
    `Calls left out of the projection (whole run): ${leftOut || 'none'}.`,
    '',
    '| part of the month | $/month |',
    '| --- | ---: |',
    ...Object.entries(cost.byService).map(([part, value]) => `| ${part} | ${usd(value)} |`),
    `| **total** | **${usd(cost.totalUsd)}** |`,
    '',
    `Key history: ${fixed(cost.keyHistory.bytesPerKey)} B per key in live segments → ${fixed(cost.keyHistory.storedGb / 1000, 2)} TB ` +
      `at ${KEY_RETENTION_DAYS} days' retention.`,
  ];
}
