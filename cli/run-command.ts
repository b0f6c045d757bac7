import { fileURLToPath } from 'node:url';
import { contractsCommand } from './commands/contracts.ts';
import { asksForHelp, COMMAND_USAGE, isArgumentError } from './usage.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `finledger <command> [--help]      (every command: --help for its flags and exit codes)

  run [--watch] [--state-dir DIR] [--json]   start the offline runtime, land the sample set, report, exit
  contracts write|check                       regenerate / verify the contracts registry (events/, contracts/)
  schemas list|show|diff|check|publish        review contracts: versions, compatibility, frozen published versions
  status [--state-dir DIR] [--json]           file registry report from a state folder (--stage S: a deployed stage)
  replay --from ISO --to ISO [--dry-run]      re-send archived bus events in a time range (--stage S too)
  dlq list|show|redrive [SERVICE] [--kind queue|rule|worker] [--json] [--stage S]
                                              DLQ depths (exit 3 while any holds a message), messages, redrive
  lineage <dataset> <partner> <id> [--json]   trace one record: raw file, silver row, dedup outcome, gold
  rerun --from D --to D [--dataset D] [--partner P] [--run-id R] [--stage S]
                                              rerun business dates from raw under a new run id; compare gold
  quarantine [--date D] [--partner P] [--dataset D] [--file FILE_ID] [--csv | --json] [--state-dir DIR]
                                              quarantined rows of each file's current run (reason, id, value);
                                              --csv for a spreadsheet (formula-neutralised cells)
  pan-scan [--state-dir DIR] [--json]         find clear card numbers outside restricted/ in every store of a
                                              state folder; exit 0 clean, 1 found, 2 usage, 3 incomplete
`;

/** Run one `finledger` command line; resolves with its exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const usage = command === undefined ? undefined : COMMAND_USAGE[command];
  if (usage && asksForHelp(rest)) {
    console.log(usage);
    return 0;
  }
  try {
    return await dispatch(command, rest);
  } catch (error) {
    if (!usage || !isArgumentError(error)) throw error;
    console.error(`${command}: ${error.message}\n\n${usage}`);
    return 2;
  }
}

async function dispatch(command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'contracts':
      return contractsCommand(rest[0], root);
    case 'schemas': {
      const { schemasCommand } = await import('./commands/schemas.ts');
      return schemasCommand(rest, root);
    }
    case 'run':
    case 'status':
    case 'replay':
    case 'dlq':
    case 'lineage': {
      const { runtimeCommand } = await import('./commands/runtime-commands.ts');
      return runtimeCommand(command, rest, root);
    }
    case 'pan-scan': {
      const { panScanCommand } = await import('./commands/pan-scan.ts');
      return panScanCommand(rest, root);
    }
    case 'quarantine': {
      const { quarantineCommand } = await import('./commands/quarantine.ts');
      return quarantineCommand(rest, root);
    }
    case 'rerun': {
      const { rerunCommand } = await import('./commands/rerun.ts');
      return rerunCommand(rest, root);
    }
    default:
      console.log(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}
