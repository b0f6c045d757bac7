import { DatasetNameSchema } from '../../contracts/events/file-landed.ts';
import { formatLineage } from '../lineage/format.ts';
import { gatherLineageFacts, type LineageSources } from '../lineage/gather.ts';
import { traceRecord } from '../lineage/trace.ts';
import { printJson, printText } from '../output.ts';

export const LINEAGE_USAGE =
  'Usage: finledger lineage <dataset> <partner> <record id> [--json] [--stage STAGE | --state-dir DIR]';

/**
 * `lineage <dataset> <partner> <id>`: raw file → validated silver row → dedup outcome → gold for one record.
 * Exit 0 when found, 1 for an unknown record, 2 for bad arguments.
 */
export async function lineageCommand(
  sources: LineageSources,
  positionals: readonly string[],
  options: { json: boolean },
): Promise<number> {
  const [datasetName, partner, id] = positionals;
  const dataset = DatasetNameSchema.safeParse(datasetName);
  if (!dataset.success || !partner || !id || positionals.length !== 3) {
    console.error(`${LINEAGE_USAGE}\n  dataset is one of: ${DatasetNameSchema.options.join(', ')}`);
    return 2;
  }
  const result = traceRecord(await gatherLineageFacts(sources, { dataset: dataset.data, partner, id }));
  if (!result.found) {
    console.error(result.message);
    return 1;
  }
  if (options.json) printJson(result.report);
  else printText(formatLineage(result.report));
  return 0;
}
