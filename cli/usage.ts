/**
 * Every command's usage, printed by `finledger <command> --help` (exit 0) and after a usage error (exit 2). Exit
 * codes are the README's: 0 ok, 1 failure, 2 usage, 3 attention needed.
 */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  run: `finledger run [--watch] [--state-dir DIR] [--json] [--verbose] [--timeout-seconds N]
  Start the offline runtime, land the sample set, wait until idle, print the report, exit (--watch: keep landing
  files dropped into ./landing). Exit 0 every date READY, 1 failure, 2 usage, 3 attention (BLOCKED, DLQ messages).`,
  contracts: `finledger contracts write|check
  Regenerate (write) or verify (check) the contracts registry under events/ and contracts/. Exit 0, 1 out of date.`,
  schemas: `finledger schemas list | show <type> [--version N] | diff <type> <v1> <v2> | check | publish | asyncapi
  Review event and dataset contracts: versions, compatibility (BACKWARD_TRANSITIVE), frozen published versions,
  the AsyncAPI document of the bus. Exit 0, 1 incompatible or edited published version, 2 usage.`,
  status: `finledger status [--state-dir DIR] [--json]
  The file registry report of a state folder. Exit 0 every date READY, 3 attention needed.`,
  replay: `finledger replay --from ISO --to ISO [--type DETAIL_TYPE] [--source SOURCE] [--dry-run] [--json]
                 [--stage STAGE | --state-dir DIR]
  Replay archived bus events of a window (EventBridge StartReplay, followed with DescribeReplay); --dry-run prints
  per event type and consumer what would be delivered, from the bus event log. Exit 0 done, 1 failed, 2 usage.`,
  dlq: `finledger dlq list|show|redrive [SERVICE] [--kind queue|rule|worker|event-log] [--json] [--stage STAGE | --state-dir DIR]
  show    [--group-by error|type] [--max N]
  redrive [--type DETAIL_TYPE] [--error TEXT] [--max N] [--rate PER_SECOND] [--dry-run]
  Exit 0 ok, 1 a redrive failed, 2 usage, 3 messages wait in a DLQ (list) or a selective redrive must run again.`,
  lineage: `finledger lineage <dataset> <partner> <record id> [--json] [--stage STAGE | --state-dir DIR]
  Trace one record: raw file, silver row, dedup outcome, gold. Exit 0 found, 1 not found, 2 usage.`,
  rerun: `finledger rerun --from YYYY-MM-DD --to YYYY-MM-DD [--dataset D] [--partner P] [--run-id R] [--dry-run] [--json]
                [--timeout-seconds N] [--stage STAGE | --state-dir DIR]
  Rerun business dates from raw under a new run id; print per date the verdict and whether gold kept its hash.
  --dry-run lists the files it would reopen and skip (reads only). Exit 0 done, 1 failure or timeout, 2 usage,
  3 files skipped or a verdict missing.`,
  quarantine: `finledger quarantine [--date D] [--partner P] [--dataset D] [--file FILE_ID] [--csv | --json]
                [--stage STAGE (with --date or --file) | --state-dir DIR]
  Quarantined rows of each file's current run (reason, id, value); --csv for a spreadsheet (formula-neutralised).`,
  'pan-scan': `finledger pan-scan [--state-dir DIR] [--json]
  Find clear card numbers outside restricted/ in every store of a state folder. Exit 0 clean, 1 found, 2 usage,
  3 incomplete. Offline only: a deployed stage's stores are scanned by Amazon Macie (stacks/README.md).`,
};

/** Whether the arguments ask for help. */
export const asksForHelp = (args: readonly string[]): boolean =>
  args.includes('--help') || args.includes('-h');

/** Node's parseArgs errors (unknown flag, missing value): a usage error, not a crash. */
export function isArgumentError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
