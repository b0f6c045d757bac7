import {
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
  type EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import type { BusEvent } from '../../runtime/bus-events.ts';
import { type BusRule, matchesPattern } from '../../runtime/bus-rules.ts';
import { printJson, printText } from '../output.ts';

/**
 * A rule a replay can deliver to. `sharedBus`: the rule is on a bus other than finledger's, replayed from that
 * bus's own archive (in AWS the S3 notifications on the account's default bus); a replay there always names its
 * rules, so no other rule of that bus receives anything.
 */
export type ReplayRule = Pick<BusRule, 'name' | 'arn' | 'service' | 'subscription' | 'eventPattern'> & {
  readonly sharedBus?: { readonly busArn: string; readonly archiveArn: string };
};

/** Where a replay runs: the stage's EventBridge archive, or the offline runtime's local bus (same API). */
export interface ReplayTarget {
  readonly eventBridge: EventBridgeClient;
  readonly busArn: string;
  readonly archiveArn: string;
  readonly rules: readonly ReplayRule[];
  /**
   * The events archived in a window, for `--dry-run` and the prediction (EventBridge cannot list an archive: in
   * AWS this is the bus's event log).
   */
  archivedEvents(from: Date, to: Date): Promise<readonly BusEvent[]>;
  /** After the replay completed: wait until what it delivered has been processed (offline: files terminal). */
  settle?(): Promise<void>;
}

export interface ReplayRequest {
  readonly from: Date;
  readonly to: Date;
  /** Event detail-type (`FileLanded`, `Object Created`): only the rules receiving it replay. */
  readonly type?: string;
  /** Event source (`aws.s3`): only the rules matching it replay. */
  readonly source?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  /** Progress lines (stderr); the result goes to stdout. */
  readonly progress: (line: string) => void;
  readonly pollMs?: number;
  readonly replayName?: string;
}

/** One line of the prediction: how many archived events of a type the window would deliver to a consumer. */
export interface ReplayPrediction {
  readonly type: string;
  readonly consumer: string;
  readonly events: number;
}

/** The rules a replay is sent to: the filters select them (StartReplay filters by rule, `FilterArns`). */
export function replayRules(
  target: Pick<ReplayTarget, 'rules'>,
  request: Pick<ReplayRequest, 'type' | 'source'>,
) {
  return target.rules.filter((rule) => {
    const { subscription } = rule;
    const type = subscription.kind === 'event' ? subscription.type : subscription.detailType;
    const source = subscription.kind === 'aws' ? subscription.source : undefined;
    return (
      (request.type === undefined || type === request.type) &&
      (request.source === undefined || source === request.source)
    );
  });
}

/** Per event type and consumer, the archived events of the window the selected rules match. */
export function predictReplay(
  events: readonly BusEvent[],
  rules: ReplayTarget['rules'],
  window: { from: Date; to: Date },
): ReplayPrediction[] {
  // EventBridge compares whole seconds of event time, as the local bus does.
  const from = Math.floor(window.from.getTime() / 1000) * 1000;
  const to = Math.ceil(window.to.getTime() / 1000) * 1000;
  const counts = new Map<string, ReplayPrediction>();
  for (const event of events) {
    const time = Date.parse(event.time);
    if (time < from || time > to) continue;
    for (const rule of rules) {
      if (!matchesPattern(rule.eventPattern, event)) continue;
      const key = `${event['detail-type']}\u0000${rule.service}`;
      const seen = counts.get(key);
      counts.set(key, {
        type: event['detail-type'],
        consumer: rule.service,
        events: (seen?.events ?? 0) + 1,
      });
    }
  }
  return [...counts.values()].sort((a, b) =>
    a.type === b.type ? (a.consumer < b.consumer ? -1 : 1) : a.type < b.type ? -1 : 1,
  );
}

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');

/**
 * `finledger replay`: replay an archive window with StartReplay, follow it with DescribeReplay, then wait for its
 * work to settle. The same calls against AWS and against the local bus.
 * 1. Select the rules the filters name (FilterArns); none selected is a usage error.
 * 2. Predict from the archived events: per type and consumer, what the window delivers; `--dry-run` stops here.
 * 3. StartReplay; DescribeReplay until COMPLETED (progress: state and the last replayed event time), FAILED or
 *    CANCELLED; then settle.
 * Exit 0 done, 1 the replay failed, 2 usage.
 */
export async function replayArchive(target: ReplayTarget, request: ReplayRequest): Promise<number> {
  const rules = replayRules(target, request);
  if (rules.length === 0) {
    const known = [
      ...new Set(
        target.rules.map((rule) =>
          rule.subscription.kind === 'event' ? rule.subscription.type : rule.subscription.detailType,
        ),
      ),
    ];
    console.error(
      `replay: no rule receives ${[request.type && `type ${request.type}`, request.source && `source ${request.source}`].filter(Boolean).join(' from ')}; types routed: ${known.join(', ')}. (Rules filter on type and, for AWS events, source; finledger events cannot be selected by producer.)`,
    );
    return 2;
  }
  const filtered = rules.length < target.rules.length;
  const predicted = predictReplay(await target.archivedEvents(request.from, request.to), rules, request);
  const total = predicted.reduce((sum, line) => sum + line.events, 0);
  const window = { from: request.from.toISOString(), to: request.to.toISOString() };
  if (request.dryRun) {
    if (request.json)
      printJson({ dryRun: true, window, rules: rules.map((rule) => rule.name), predicted, total });
    else
      printText(
        [
          `Would replay ${window.from} … ${window.to} to ${filtered ? `${rules.length} rule(s)` : 'every rule'}: ${total} deliveries`,
          ...predicted.map((line) => `  ${line.type} → ${line.consumer}: ${line.events}`),
        ].join('\n'),
      );
    return 0;
  }
  const replayName =
    request.replayName ?? `finledger-${stamp(new Date())}-${Math.random().toString(36).slice(2, 6)}`;
  const groups = replayGroups(target, rules, filtered);
  const names: string[] = [];
  for (const [index, group] of groups.entries()) {
    const name = groups.length === 1 ? replayName : `${replayName}-${index + 1}`;
    names.push(name);
    await target.eventBridge.send(
      new StartReplayCommand({
        ReplayName: name,
        Description: `finledger replay ${window.from} … ${window.to}${request.type ? ` type ${request.type}` : ''}`,
        EventSourceArn: group.archiveArn,
        EventStartTime: request.from,
        EventEndTime: request.to,
        Destination: {
          Arn: group.busArn,
          ...(group.filterArns ? { FilterArns: group.filterArns } : {}),
        },
      }),
    );
    request.progress(`replay ${name} started from ${group.archiveArn}`);
  }
  request.progress(`${total} deliveries expected`);
  for (const name of names) {
    const ended = await followReplay(target.eventBridge, name, request);
    if (ended.State !== 'COMPLETED') {
      console.error(
        `replay ${name} ended ${ended.State}: ${ended.StateReason ?? 'no reason given'}. Nothing is lost: run the same replay again (consumers are idempotent).`,
      );
      return 1;
    }
  }
  await target.settle?.();
  if (request.json)
    printJson({
      replayName,
      replays: names,
      state: 'COMPLETED',
      window,
      rules: rules.map((rule) => rule.name),
      predicted,
      total,
    });
  else
    printText(
      `Replayed ${window.from} … ${window.to} as ${replayName}: ${total} deliveries; its work has settled.`,
    );
  return 0;
}

/**
 * One StartReplay per archive the selected rules are fed from: finledger's bus (filtered only when the request is),
 * and each shared bus's archive (always filtered to the selected rules).
 */
function replayGroups(target: ReplayTarget, rules: readonly ReplayRule[], filtered: boolean) {
  const own = rules.filter((rule) => !rule.sharedBus);
  const groups: { archiveArn: string; busArn: string; filterArns?: string[] }[] = [];
  if (own.length > 0)
    groups.push({
      archiveArn: target.archiveArn,
      busArn: target.busArn,
      ...(filtered ? { filterArns: own.map((rule) => rule.arn) } : {}),
    });
  const shared = new Map<string, ReplayRule[]>();
  for (const rule of rules)
    if (rule.sharedBus)
      shared.set(rule.sharedBus.archiveArn, [...(shared.get(rule.sharedBus.archiveArn) ?? []), rule]);
  for (const [archiveArn, group] of shared)
    groups.push({
      archiveArn,
      busArn: group[0]?.sharedBus?.busArn ?? '',
      filterArns: group.map((rule) => rule.arn),
    });
  return groups;
}

async function followReplay(
  eventBridge: EventBridgeClient,
  replayName: string,
  request: ReplayRequest,
): Promise<DescribeReplayCommandOutput> {
  let last = '';
  for (;;) {
    const described = await eventBridge.send(new DescribeReplayCommand({ ReplayName: replayName }));
    const line = `replay ${replayName}: ${described.State}${described.EventLastReplayedTime ? `, replayed up to ${described.EventLastReplayedTime.toISOString()}` : ''}`;
    if (line !== last) request.progress(line);
    last = line;
    if (described.State === 'COMPLETED' || described.State === 'FAILED' || described.State === 'CANCELLED')
      return described;
    await new Promise((resolve) => setTimeout(resolve, request.pollMs ?? 1_000));
  }
}
