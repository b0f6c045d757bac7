import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { formatFinding } from '../../lib/card-data/scan/findings.ts';
import { formatScanned, type ScanReport } from '../../lib/card-data/scan/scan-report.ts';

/** `pan-scan` exit codes: the scan is a gate, so anything but a completed clean scan is non-zero. */
export const PAN_SCAN_EXIT = {
  clean: 0,
  /** A clear card number outside `restricted/`: see the findings, then the README runbook. */
  found: 1,
  usage: 2,
  /** A store could not be read (or the runtime did not start): nothing is proven about it. */
  incomplete: 3,
} as const;

const OPTIONS = {
  'state-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  stage: { type: 'string' },
} as const;

/**
 * `finledger pan-scan [--state-dir DIR] [--json]`: start the storage-only runtime on a state folder, as `status`
 * does, scan every bucket, table, queue, the bus archive and the log files for clear card numbers outside
 * `restricted/`, print each finding masked, and exit 0 clean, 1 found, 2 usage, 3 incomplete.
 */
export async function panScanCommand(args: string[], root: string): Promise<number> {
  let flags: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    flags = parseArgs({ args, options: OPTIONS }).values;
  } catch (error) {
    console.error(`pan-scan: ${String(error)}\nUsage: finledger pan-scan [--state-dir DIR] [--json]`);
    return PAN_SCAN_EXIT.usage;
  }
  if (flags.stage !== undefined) {
    // Reading every object of a stage (years of raw) through a laptop is no scan; Macie does it inside AWS.
    console.error(
      `pan-scan --stage ${flags.stage}: pan-scan reads an offline state folder only. On a deployed stage run an Amazon Macie sensitive-data discovery job over its buckets (stacks/README.md, "Card-data discovery on a stage").`,
    );
    return PAN_SCAN_EXIT.usage;
  }
  const stateDir = flags['state-dir'] ?? join(root, '.finledger', 'state');
  if (!existsSync(stateDir)) {
    // Starting the runtime would create an empty state folder and call it clean.
    console.error(
      `pan-scan: no state folder at ${stateDir}. Run \`npm start\` first, or pass --state-dir DIR.`,
    );
    return PAN_SCAN_EXIT.usage;
  }
  try {
    const { withRuntime } = await import('./runtime-commands.ts');
    const { scanRuntime } = await import('../pan-scan/scan-runtime.ts');
    return await withRuntime({ ...flags, 'state-dir': stateDir }, root, 'inspect', async (runtime) => {
      const report = await scanRuntime(runtime, { stateDir });
      console.log(
        flags.json ? JSON.stringify({ stateDir, ...report }, null, 2) : formatReport(stateDir, report),
      );
      if (report.findings.length > 0) return PAN_SCAN_EXIT.found;
      return report.errors.length > 0 ? PAN_SCAN_EXIT.incomplete : PAN_SCAN_EXIT.clean;
    });
  } catch (error) {
    console.error(maskCardNumbers(`pan-scan: could not scan ${stateDir}: ${String(error)}`));
    return PAN_SCAN_EXIT.incomplete;
  }
}

function formatReport(stateDir: string, report: ScanReport): string {
  const lines =
    report.findings.length === 0
      ? [`pan-scan: no clear card number outside restricted/ in ${stateDir}.`]
      : [
          `pan-scan: ${report.findings.length} clear card number(s) outside restricted/ in ${stateDir} (masked below):`,
          ...report.findings.map((finding) => `  ${formatFinding(finding)}`),
        ];
  lines.push(`Scanned: ${formatScanned(report.scanned)}.`);
  if (report.errors.length > 0)
    lines.push('Not scanned (errors):', ...report.errors.map((error) => `  ${error}`));
  if (report.notes.length > 0) lines.push('Notes:', ...report.notes.map((note) => `  ${note}`));
  return lines.join('\n');
}
