import type { RowLineage } from '../../services/dedup/ports.ts';
import type { LineageReport, Occurrence } from './trace.ts';

const at = (lineage: RowLineage): string =>
  `${lineage.fileId} row ${lineage.rowNumber} (run ${lineage.runId}, ${lineage.businessDate}, sha256 ${lineage.sha256})`;

const inline = (value: object): string =>
  Object.entries(value)
    .map(([name, cell]) => `${name}=${cell === null ? '∅' : String(cell)}`)
    .join(' ');

function occurrenceLines(occurrence: Occurrence): string[] {
  const verb = occurrence.outcome === 'duplicate' ? 'copies' : 'conflicts with';
  return [
    `   ├─ ${occurrence.outcome} (${occurrence.scope}): ${at(occurrence.row)}`,
    `   │    ${verb} ${at(occurrence.against)}`,
    ...(occurrence.record ? [`   │    its version: ${inline(occurrence.record)}`] : []),
  ];
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
    lines.push(
      `      └─ unique (kept): owner ${at(report.owner.lineage)}, fingerprint ${report.owner.fingerprint.slice(0, 16)}… v${report.owner.fingerprintVersion}`,
      ...(report.unique ? [`         s3://${report.unique.part.bucket}/${report.unique.part.key}`] : []),
    );
  }
  if (report.occurrences.length === 0) lines.push('   no duplicate or conflict recorded');
  for (const occurrence of report.occurrences) lines.push(...occurrenceLines(occurrence));
  lines.push(
    report.gold.state === 'present'
      ? `   gold: s3://${report.gold.part.bucket}/${report.gold.part.key} ${inline(report.gold.row)}`
      : `   gold: ${report.gold.reason}`,
  );
  for (const warning of report.warnings) lines.push(`⚠ ${warning}`);
  return lines.join('\n');
}
