import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type DatasetName, findPartner } from '../../config/partners.ts';
import { gatesFor } from '../../config/ready-gates.ts';
import { DatasetBlockedV1, DatasetReadyV1 } from '../../contracts/events/catalog.ts';
import type { GateOutcome } from '../../contracts/events/dataset-ready.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import type { SettlementsMatchedDetail } from '../../contracts/events/settlements-matched.ts';
import { scanTable } from '../../lib/aws/scan-table.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { ScenarioClock } from '../../runtime/scenario-clock.ts';
import { cutoffInstant } from '../../services/ready-publisher/cutoff.ts';
import type { SampleFile } from '../sample-data/index.ts';
import { archivedDetails, archivedMatchRuns, landAndSettle, startTestPipeline } from './support.ts';

/** A test pipeline whose uploads land at the instants of a scenario clock (the S3 event's `time`). */
export interface Scenario {
  readonly runtime: Runtime;
  readonly clock: ScenarioClock;
}

/**
 * Start the test pipeline with S3 events stamped by a fresh scenario clock.
 * @example const { runtime, clock } = await startScenario();
 */
export async function startScenario(): Promise<Scenario> {
  const clock = new ScenarioClock();
  const runtime = await startTestPipeline({ s3EventTime: clock.eventTime });
  return { runtime, clock };
}

/** Land files "at" an instant, then wait until every file is terminal and the runtime idle. */
export async function landAt(
  scenario: Scenario,
  at: Date,
  files: readonly { landingKey: string; bytes: Uint8Array }[],
): Promise<void> {
  await scenario.clock.jumpTo(at);
  await landAndSettle(scenario.runtime, files);
  await scenario.runtime.waitForIdle();
}

const HOUR_MS = 3_600_000;
export const hoursAfter = (instant: Date, hours: number): Date =>
  new Date(instant.getTime() + hours * HOUR_MS);

/** When a partner's file for a dataset and business date is due (config/ready-gates.ts, partner zone). */
export function cutoffOf(dataset: DatasetName, partner: string, businessDate: string): Date {
  const expected = gatesFor(dataset)?.expectedFiles.find((file) => file.partner === partner);
  const zone = findPartner(partner)?.timezone;
  if (!expected || !zone) throw new Error(`No cut-off is declared for ${partner} ${dataset}.`);
  return cutoffInstant(businessDate, expected.cutoff, zone);
}

/** The earliest cut-off of every file expected for a business date, in any dataset. */
export function earliestCutoff(businessDate: string): Date {
  const instants = (['transactions', 'settlements'] as const).flatMap((dataset) =>
    (gatesFor(dataset)?.expectedFiles ?? []).map((file) => cutoffOf(dataset, file.partner, businessDate)),
  );
  return new Date(Math.min(...instants.map((instant) => instant.getTime())));
}

/** A readiness verdict as published, in archive (publish) order. */
export type PublishedVerdict =
  | { readonly kind: 'READY'; readonly event: EventDetail<typeof DatasetReadyV1> }
  | { readonly kind: 'BLOCKED'; readonly event: EventDetail<typeof DatasetBlockedV1> };

/** Every DatasetReady and DatasetBlocked of a dataset and business date, oldest first. */
export async function verdictsOf(
  runtime: Runtime,
  dataset: DatasetName,
  businessDate: string,
): Promise<PublishedVerdict[]> {
  const archive = await runtime.bus.archive.read();
  const order = new Map(
    archive.map((event, index) => [(event.detail as { eventId?: string }).eventId, index]),
  );
  const about = (data: { dataset: string; businessDate: string }) =>
    data.dataset === dataset && data.businessDate === businessDate;
  const ready = (await archivedDetails(runtime, DatasetReadyV1))
    .filter((event) => about(event.data))
    .map((event): PublishedVerdict => ({ kind: 'READY', event }));
  const blocked = (await archivedDetails(runtime, DatasetBlockedV1))
    .filter((event) => about(event.data))
    .map((event): PublishedVerdict => ({ kind: 'BLOCKED', event }));
  const archivedAt = (verdict: PublishedVerdict) => order.get(verdict.event.eventId) ?? -1;
  return [...ready, ...blocked].sort((a, b) => archivedAt(a) - archivedAt(b));
}

/** Every SettlementsMatched (v1 or v2) of a partner as of a business date, oldest first. */
export async function matchRunsOf(
  runtime: Runtime,
  partner: string,
  businessDate: string,
): Promise<SettlementsMatchedDetail[]> {
  return (await archivedMatchRuns(runtime)).filter(
    (event) => event.data.partner === partner && event.data.businessDate === businessDate,
  );
}

/**
 * The data rows of a generated file, by column name (header line, trailer left out). The generator writes no
 * quoted fields; a quote fails loudly rather than being split wrong.
 */
export function rowsOf(file: SampleFile): Record<string, string>[] {
  const text = new TextDecoder(file.encoding).decode(file.bytes);
  const [header = '', ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
  const columns = header.split(',');
  return lines
    .filter((line) => !line.startsWith('TRAILER,'))
    .map((line) => {
      if (line.includes('"'))
        throw new Error(`${file.landingKey}: quoted fields are not parsed here: ${line}`);
      const values = line.split(',');
      return Object.fromEntries(columns.map((column, index) => [column, values[index] ?? '']));
    });
}

/** Every item of a table (consistent, paginated), unmarshalled. */
export async function scanAll(runtime: Runtime, logical: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const item of scanTable(runtime.clients.dynamodb, runtime.resources.tables[logical]!.name))
    items.push(unmarshall(item));
  return items;
}

/** Messages parked in every DLQ (queue redrive DLQs and bus rule-target DLQs), by `<service> <kind>`. */
export async function dlqDepths(runtime: Runtime): Promise<Record<string, number>> {
  const depths: Record<string, number> = {};
  for (const service of runtime.topology.services.map((entry) => entry.name)) {
    for (const kind of ['dlq', 'bus'] as const) {
      depths[`${service} ${kind}`] = (await runtime.dlq.listDlq(service, { kind })).length;
    }
  }
  return depths;
}

/** A verdict's gates, passed and failed (a DatasetReady passed them all). */
export function gatesOf(verdict: PublishedVerdict | undefined): {
  passed: GateOutcome[];
  failed: GateOutcome[];
} {
  if (!verdict) return { passed: [], failed: [] };
  return verdict.kind === 'READY'
    ? { passed: verdict.event.data.gates, failed: [] }
    : { passed: verdict.event.data.passedGates, failed: verdict.event.data.failedGates };
}
