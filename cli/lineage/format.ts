import type { RowLineage } from '../../services/dedup/ports.ts';
import type { GoldReport, LineageReport, Occurrence, RowPlace } from './trace.ts';

const at = (lineage: RowLineage): string =>
  `${lineage.fileId} row ${lineage.rowNumber} (run ${lineage.runId}, ${lineage.businessDate}, sha256 ${lineage.sha256})`;

const runsText = (runIds: readonly string[]): string =>
  `${runIds.length === 1 ? 'run' : 'runs'} ${runIds.join(', ')}`;

const placeAt = (place: RowPlace, runs: string): string =>
  `${place.fileId} row ${place.rowNumber} (${runs}, ${place.businessDate}, sha256 ${place.sha256})`;

const inline = (value: object): string =>
  Object.entries(value)
    .map(([name, cell]) => `${name}=${cell === null ? '∅' : String(cell)}`)
    .join(' ');

function occurrenceLines(occurrence: Occurrence): string[] {
  const verb = occurrence.outcome === 'duplicate' ? 'copies' : 'conflicts with';
  const runIds = occurrence.runs.map((run) => run.runId);
  const againstRuns = [...new Set(occurrence.runs.map((run) => run.againstRunId))];
  const sameRun = occurrence.runs.every((run) => run.againstRunId === run.runId);
  return [
    `   ├─ ${occurrence.outcome} (${occurrence.scope}): ${placeAt(occurrence.row, runsText(runIds))}`,
    `   │    ${verb} ${placeAt(occurrence.against, sameRun && runIds.length > 1 ? 'same run' : runsText(againstRuns))}`,
    ...(occurrence.record ? [`   │    its version: ${inline(occurrence.record)}`] : []),
  ];
}

function goldLines(gold: GoldReport): string[] {
  const lines =
    gold.state === 'present'
      ? [
          `   gold (ready run ${gold.readyRunId}, published ${gold.readyAt}): s3://${gold.part.bucket}/${gold.part.key}`,
          `      ${inline(gold.row)}`,
        ]
      : [`   gold: ${gold.reason}`];
  const verdict = gold.latestVerdict;
  if (verdict?.verdict === 'BLOCKED')
    lines.push(
      `   latest verdict: BLOCKED (${verdict.failedGates.join(', ')}) at ${verdict.committedAt}${gold.readyRunId ? `; gold shown is the latest READY (ready run ${gold.readyRunId})` : ''}`,
    );
  return lines;
}

/**
 * The lineage report as a tree: raw file → validated silver row → dedup outcome → gold.
 * @example console.log(formatLineage(report))
 */
export function formatLineage(report: LineageReport): string {
  const lines = [`${report.dataset} ${report.partner} ${report.id}  (${report.key})`];
  const raw = report.raw;
  if (raw) {
    lines.push(
      `└─ raw file ${raw.fileName} (${raw.fileId}, ${raw.stage})`,
      `   sha256 ${raw.sha256}, business date ${raw.businessDate}, landed ${raw.landedAt}, run ${raw.runId}`,
      `   landing s3://${raw.landing.bucket}/${raw.landing.key}`,
      `   raw     s3://${raw.raw.bucket}/${raw.raw.key}`,
    );
  } else if (report.owner) {
    lines.push(`└─ raw file ${report.owner.lineage.fileId}: not in the file registry`);
  } else {
    lines.push('└─ no version kept: every occurrence was quarantined as a conflict');
  }
  const silver = report.silver;
  if (silver) {
    const { lineage } = silver;
    lines.push(
      `   └─ validated silver row ${lineage.rowNumber} (run ${lineage.runId}, schema_v ${lineage.schemaV})`,
      `      s3://${silver.part.bucket}/${silver.part.key}`,
      `      ${inline(silver.columns)}`,
      `      _file_id=${lineage.fileId} _file_sha256=${lineage.sha256} _row_number=${lineage.rowNumber} _run_id=${lineage.runId} _schema_v=${lineage.schemaV}`,
    );
  }
  if (report.owner) {
    const ownerRun = report.owner.lineage.runId;
    const kept =
      report.silverRunId && report.silverRunId !== ownerRun
        ? `kept in run ${report.silverRunId}, first kept in run ${ownerRun}`
        : 'kept';
    lines.push(
      `      └─ unique (${kept}): owner ${at(report.owner.lineage)}, fingerprint ${report.owner.fingerprint.slice(0, 16)}… v${report.owner.fingerprintVersion}`,
      ...(report.unique ? [`         s3://${report.unique.part.bucket}/${report.unique.part.key}`] : []),
    );
  }
  if (report.occurrences.length === 0) lines.push('   no duplicate or conflict recorded');
  for (const occurrence of report.occurrences) lines.push(...occurrenceLines(occurrence));
  lines.push(...goldLines(report.gold));
  for (const warning of report.warnings) lines.push(`⚠ ${warning}`);
  return lines.join('\n');
}
