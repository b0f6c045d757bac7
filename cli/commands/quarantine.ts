import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BusinessDateSchema } from '../../contracts/events/envelope.ts';
import { DatasetNameSchema } from '../../contracts/events/file-landed.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import type { QuarantineFilter } from '../quarantine/current-quarantine.ts';
import type { QuarantineExportSummary, QuarantineSources } from '../quarantine/export-quarantine.ts';
import type { QuarantineFormat } from '../quarantine/format.ts';

export const QUARANTINE_USAGE =
  'Usage: finledger quarantine [--date YYYY-MM-DD] [--partner P] [--dataset D] [--file FILE_ID] [--csv | --json] [--stage STAGE (with --date or --file) | --state-dir DIR]';

const OPTIONS = {
  'state-dir': { type: 'string' },
  date: { type: 'string' },
  partner: { type: 'string' },
  dataset: { type: 'string' },
  file: { type: 'string' },
  csv: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  stage: { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/**
 * `finledger quarantine`: the quarantined rows of the current run of each selected file, from a state folder
 * (storage-only runtime, as `status` reads it) or a deployed stage (`--stage`, with `--date` or `--file`), written as they are read: a table, `--csv` for a spreadsheet
 * (every text cell formula-neutralised) or `--json`. Exit 0 (also when there is nothing to list, said on
 * stderr), 2 for bad arguments or no state folder.
 */
export async function quarantineCommand(args: string[], root: string): Promise<number> {
  const parsed = parseFlags(args);
  if ('usage' in parsed) {
    console.error(maskCardNumbers(`quarantine: ${parsed.usage}\n${QUARANTINE_USAGE}`));
    return 2;
  }
  const { flags, filter, format } = parsed;
  const print = async (sources: QuarantineSources) => {
    const { exportQuarantine } = await import('../quarantine/export-quarantine.ts');
    const summary = await exportQuarantine(sources, filter, format);
    for (const note of summaryNotes(summary, filter)) console.error(maskCardNumbers(`quarantine: ${note}`));
    return 0;
  };
  if (flags.stage !== undefined) {
    if (filter.date === undefined && filter.fileId === undefined) {
      // A stage's registry is read by date (files-by-day) or by file, never scanned.
      console.error(`quarantine --stage needs --date YYYY-MM-DD or --file FILE_ID.\n${QUARANTINE_USAGE}`);
      return 2;
    }
    const { withStage } = await import('./runtime-commands.ts');
    const { stageQuarantineSources } = await import('../quarantine/export-quarantine.ts');
    return withStage(flags, root, 'inspect', (stage) =>
      print(stageQuarantineSources(stage.document, stage.clients)),
    );
  }
  const stateDir = flags['state-dir'] ?? join(root, '.finledger', 'state');
  if (!existsSync(stateDir)) {
    // Starting the runtime would create an empty state folder and report nothing quarantined.
    console.error(
      `quarantine: no state folder at ${stateDir}. Run \`npm start\` first, or pass --state-dir DIR.`,
    );
    return 2;
  }
  const { withRuntime } = await import('./runtime-commands.ts');
  const { runtimeQuarantineSources } = await import('../quarantine/export-quarantine.ts');
  return withRuntime({ ...flags, 'state-dir': stateDir }, root, 'inspect', (runtime) =>
    print(runtimeQuarantineSources(runtime)),
  );
}

function parseFlags(
  args: string[],
): { flags: Flags; filter: QuarantineFilter; format: QuarantineFormat } | { usage: string } {
  let flags: Flags;
  try {
    flags = parseArgs({ args, options: OPTIONS }).values;
  } catch (error) {
    return { usage: error instanceof Error ? error.message : String(error) };
  }
  if (flags.csv && flags.json) return { usage: '--csv and --json are exclusive' };
  if (flags.date !== undefined && !BusinessDateSchema.safeParse(flags.date).success)
    return { usage: `--date ${flags.date} is not a date as YYYY-MM-DD` };
  const dataset = flags.dataset === undefined ? undefined : DatasetNameSchema.safeParse(flags.dataset);
  if (dataset && !dataset.success)
    return { usage: `--dataset ${flags.dataset} is not one of ${DatasetNameSchema.options.join(', ')}` };
  const filter: QuarantineFilter = {
    ...(flags.date !== undefined ? { date: flags.date } : {}),
    ...(flags.partner !== undefined ? { partner: flags.partner } : {}),
    ...(dataset?.success ? { dataset: dataset.data } : {}),
    ...(flags.file !== undefined ? { fileId: flags.file } : {}),
  };
  return { flags, filter, format: flags.csv ? 'csv' : flags.json ? 'json' : 'table' };
}

/** What stderr says besides the rows: nothing found, and files the listing could not cover. */
function summaryNotes(summary: QuarantineExportSummary, filter: QuarantineFilter): string[] {
  const notes: string[] = [];
  if (summary.rows === 0) {
    const scope = Object.entries(filter).map(([name, value]) => `${name} ${value}`);
    notes.push(
      `no quarantined rows in the current run of any file${scope.length > 0 ? ` (${scope.join(', ')})` : ''}.`,
    );
  } else {
    notes.push(`${summary.rows} quarantined row(s) in ${summary.files} file(s).`);
  }
  if (summary.open.length > 0)
    notes.push(
      `${summary.open.length} file(s) still being validated, not listed: ${summary.open.join(', ')}. Run again once \`finledger status\` shows them closed.`,
    );
  if (summary.unannounced.length > 0)
    notes.push(
      `${summary.unannounced.length} closed file(s) whose current run's FileValidated/FileRejected is not in the bus archive, not listed: ${summary.unannounced.join(', ')}.`,
    );
  return notes;
}
