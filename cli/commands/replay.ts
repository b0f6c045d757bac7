import {
  DescribeReplayCommand,
  type DescribeReplayCommandOutput,
  type EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import type { BusEvent } from '../../runtime/bus-events.ts';
import { type BusRule, matchesPattern } from '../../runtime/bus-rules.ts';
import { printJson, printText } from '../output.ts';

/** Where a replay runs: the stage's EventBridge archive, or the offline runtime's local bus (same API). */
export interface ReplayTarget {
  readonly eventBridge: EventBridgeClient;
  readonly busArn: string;
  readonly archiveArn: string;
  readonly rules: readonly Pick<BusRule, 'name' | 'arn' | 'service' | 'subscription' | 'eventPattern'>[];
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
  await target.eventBridge.send(
    new StartReplayCommand({
      ReplayName: replayName,
      Description: `finledger replay ${window.from} … ${window.to}${request.type ? ` type ${request.type}` : ''}`,
      EventSourceArn: target.archiveArn,
      EventStartTime: request.from,
      EventEndTime: request.to,
      Destination: { Arn: target.busArn, ...(filtered ? { FilterArns: rules.map((rule) => rule.arn) } : {}) },
    }),
  );
  request.progress(`replay ${replayName} started: ${total} deliveries expected`);
  const ended = await followReplay(target.eventBridge, replayName, request);
  if (ended.State !== 'COMPLETED') {
    console.error(
      `replay ${replayName} ended ${ended.State}: ${ended.StateReason ?? 'no reason given'}. Nothing is lost: run the same replay again (consumers are idempotent).`,
    );
    return 1;
  }
  await target.settle?.();
  if (request.json)
    printJson({
      replayName,
      state: ended.State,
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
