import { dirname, join } from 'node:path';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { cardDataLocations, emptyScanReport, type ScanReport } from '../../lib/card-data/scan/scan-report.ts';
import { runtimeLogDir } from '../../runtime/log-file.ts';
import { serviceQueueNames } from '../../runtime/physical-names.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { hasFailureQueue } from '../../stacks/plan/queues.ts';
import { scanBuckets } from './buckets.ts';
import { scanQueues } from './queues.ts';
import { scanArchiveDir, scanArchivedEvents, scanLogDir } from './state-files.ts';
import { scanTables } from './tables.ts';

export interface PanScanOptions {
  /** The runtime's state folder: its archive and log files are read from disk. */
  readonly stateDir?: string;
}

/**
 * Look for clear card numbers everywhere a running offline runtime stores data, outside the topology's card-data
 * prefixes (quarantine `restricted/`). Primary course:
 * 1. Every bucket: every object's key and content (`scanBuckets`).
 * 2. Every table: every item and attribute (`scanTables`).
 * 3. Every queue, DLQs first among them: every message, without receiving it (`scanQueues`).
 * 4. The bus archive: its files in the state folder, or the in-memory archive.
 * 5. The state folder's log files.
 * A store that cannot be read is an error in the report, never a silent pass.
 * @example const report = await scanRuntime(runtime, { stateDir }); report.findings.length === 0
 */
export async function scanRuntime(runtime: Runtime, options: PanScanOptions = {}): Promise<ScanReport> {
  const report = emptyScanReport();
  const guarded = async (store: string, scan: () => Promise<void>) => {
    try {
      await scan();
    } catch (error) {
      report.errors.push(maskCardNumbers(`${store}: ${String(error)}`));
    }
  };
  const isCardData = cardDataLocations(runtime.topology, (name) => runtime.resources.buckets[name]?.name);
  await guarded('buckets', () => scanBuckets(runtime.clients.s3, isCardData, report));
  await guarded('tables', () => scanTables(runtime.clients.dynamodb, report));
  await guarded('queues', () =>
    scanQueues(runtime.clients.sqs, runtime.emulators.fauxqs, topologyDlqs(runtime), report),
  );
  const archivePath = runtime.bus.archive.path;
  const archiveDir = options.stateDir
    ? join(options.stateDir, 'bus-archive')
    : archivePath
      ? dirname(archivePath)
      : undefined;
  await guarded('bus archive', async () => {
    if (archiveDir) await scanArchiveDir(archiveDir, report);
    else scanArchivedEvents(await runtime.bus.archive.read(), report);
  });
  const { stateDir } = options;
  if (stateDir) await guarded('logs', () => scanLogDir(runtimeLogDir(stateDir), report));
  return report;
}

/**
 * The DLQ of every service (SQS redrive and bus rule target), of every unit worker's queue, and of every worker that
 * has a failure queue (stream and scheduled workers in AWS; not provisioned offline, which the report notes).
 */
function topologyDlqs(runtime: Runtime): string[] {
  return [
    ...Object.values(runtime.resources.services).flatMap((queues) => [queues.dlq.name, queues.busDlq.name]),
    ...Object.values(runtime.resources.units).map((queues) => queues.dlq.name),
    ...runtime.topology.workers
      .filter(hasFailureQueue)
      .map((worker) => serviceQueueNames(runtime.stage, worker.name).dlq),
  ];
}
