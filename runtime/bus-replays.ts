import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BusArchive } from './bus-archive.ts';
import type { BusEvent } from './bus-events.ts';
import type { BusRule } from './bus-rules.ts';
import { LOCAL_ACCOUNT } from './physical-names.ts';

/** EventBridge replay states (DescribeReplay `State`). */
export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

/** One replay as DescribeReplay returns it (times as epoch seconds, the JSON protocol's timestamps). */
export interface ReplayRecord {
  readonly ReplayName: string;
  readonly ReplayArn: string;
  readonly Description?: string;
  readonly EventSourceArn: string;
  readonly Destination: { readonly Arn: string; readonly FilterArns?: readonly string[] };
  readonly EventStartTime: number;
  readonly EventEndTime: number;
  State: ReplayState;
  StateReason?: string;
  readonly ReplayStartTime: number;
  ReplayEndTime?: number;
  EventLastReplayedTime?: number;
}

/** What the local bus hands the control plane: its archive, rules and the replay itself. */
export interface ReplayHost {
  readonly region: string;
  readonly busArn: string;
  readonly archiveName: string;
  readonly archive: BusArchive;
  readonly rules: readonly BusRule[];
  /** Where replays are kept across runtime restarts; in memory when omitted. */
  readonly statePath?: string;
  replay(options: {
    from: Date;
    to: Date;
    replayName: string;
    ruleNames?: readonly string[];
    onReplayed: (event: BusEvent) => void;
  }): Promise<unknown>;
}

/** An EventBridge API error: `name` becomes the JSON protocol's `__type`, which the SDK turns into an exception. */
export class BusApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const archiveArn = (region: string, name: string): string =>
  `arn:aws:events:${region}:${LOCAL_ACCOUNT}:archive/${name}`;

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const asDate = (value: unknown, field: string): Date => {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime()))
    throw new BusApiError('ValidationException', `${field} is not a timestamp.`);
  return date;
};

/**
 * The replay control plane of the local bus, speaking EventBridge's StartReplay, DescribeReplay, ListReplays and
 * ListArchives so the CLI's AWS code runs offline unchanged. A replay runs in the background like in AWS; its
 * progress is `EventLastReplayedTime`. Replays are kept in `statePath` so a later process lists them.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_StartReplay.html
 */
export async function createReplayControl(host: ReplayHost) {
  const replays = new Map<string, ReplayRecord>();
  const saved = host.statePath ? await readFile(host.statePath, 'utf8').catch(() => undefined) : undefined;
  for (const record of saved ? (JSON.parse(saved) as ReplayRecord[]) : []) {
    // A replay a stopped runtime left running did not finish: say so rather than claim it did.
    if (record.State === 'STARTING' || record.State === 'RUNNING')
      Object.assign(record, {
        State: 'FAILED',
        StateReason: 'The runtime stopped during the replay; start it again.',
      });
    replays.set(record.ReplayName, record);
  }
  const running = new Set<Promise<void>>();
  let saving = Promise.resolve();
  const save = () => {
    const path = host.statePath;
    if (!path) return saving;
    const text = JSON.stringify([...replays.values()], null, 2);
    saving = saving.then(async () => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.tmp`, text);
      await rename(`${path}.tmp`, path);
    });
    return saving;
  };
  const ownArchiveArn = archiveArn(host.region, host.archiveName);

  const run = async (record: ReplayRecord, ruleNames: string[] | undefined) => {
    record.State = 'RUNNING';
    await save();
    try {
      await host.replay({
        from: new Date(record.EventStartTime * 1000),
        to: new Date(record.EventEndTime * 1000),
        replayName: record.ReplayName,
        ...(ruleNames ? { ruleNames } : {}),
        onReplayed: (event) => {
          record.EventLastReplayedTime = Math.max(
            record.EventLastReplayedTime ?? 0,
            seconds(new Date(event.time)),
          );
        },
      });
      record.State = 'COMPLETED';
    } catch (error) {
      record.State = 'FAILED';
      record.StateReason = (error as Error).message.slice(0, 512);
    }
    record.ReplayEndTime = seconds(new Date());
    await save();
  };

  return {
    async startReplay(input: Record<string, unknown>) {
      const name = String(input.ReplayName ?? '');
      if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name))
        throw new BusApiError(
          'ValidationException',
          'ReplayName must be 1-64 characters from [.-_A-Za-z0-9].',
        );
      if (replays.has(name))
        throw new BusApiError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
      if (input.EventSourceArn !== ownArchiveArn)
        throw new BusApiError(
          'ResourceNotFoundException',
          `Archive ${String(input.EventSourceArn)} does not exist.`,
        );
      const from = asDate(input.EventStartTime, 'EventStartTime');
      const to = asDate(input.EventEndTime, 'EventEndTime');
      if (from >= to)
        throw new BusApiError('ValidationException', 'EventStartTime must be before EventEndTime.');
      const destination = (input.Destination ?? {}) as { Arn?: string; FilterArns?: string[] };
      if (destination.Arn !== host.busArn)
        throw new BusApiError('ValidationException', "Destination.Arn must be the archive's source bus.");
      const unknown = (destination.FilterArns ?? []).filter(
        (arn) => !host.rules.some((rule) => rule.arn === arn),
      );
      if (unknown.length > 0)
        throw new BusApiError('ResourceNotFoundException', `No rule ${unknown.join(', ')}.`);
      const record: ReplayRecord = {
        ReplayName: name,
        ReplayArn: `arn:aws:events:${host.region}:${LOCAL_ACCOUNT}:replay/${name}`,
        ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
        EventSourceArn: ownArchiveArn,
        Destination: {
          Arn: destination.Arn,
          ...(destination.FilterArns ? { FilterArns: destination.FilterArns } : {}),
        },
        EventStartTime: seconds(from),
        EventEndTime: seconds(to),
        State: 'STARTING',
        ReplayStartTime: seconds(new Date()),
      };
      replays.set(name, record);
      await save();
      const ruleNames = destination.FilterArns?.map(
        (arn) => host.rules.find((rule) => rule.arn === arn)?.name ?? arn,
      );
      const job = run(record, ruleNames).finally(() => running.delete(job));
      running.add(job);
      return { ReplayArn: record.ReplayArn, State: record.State, ReplayStartTime: record.ReplayStartTime };
    },

    describeReplay(input: Record<string, unknown>): ReplayRecord {
      const record = replays.get(String(input.ReplayName));
      if (!record)
        throw new BusApiError(
          'ResourceNotFoundException',
          `Replay ${String(input.ReplayName)} does not exist.`,
        );
      return record;
    },

    listReplays(input: Record<string, unknown>) {
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      return {
        Replays: [...replays.values()].filter(
          (record) =>
            record.ReplayName.startsWith(prefix) &&
            (input.State === undefined || record.State === input.State) &&
            (input.EventSourceArn === undefined || record.EventSourceArn === input.EventSourceArn),
        ),
      };
    },

    async listArchives(input: Record<string, unknown>) {
      const events = await host.archive.read();
      const matches =
        (input.NamePrefix === undefined || host.archiveName.startsWith(String(input.NamePrefix))) &&
        (input.EventSourceArn === undefined || input.EventSourceArn === host.busArn);
      return {
        Archives: matches
          ? [
              {
                ArchiveName: host.archiveName,
                EventSourceArn: host.busArn,
                State: 'ENABLED',
                RetentionDays: 0,
                SizeBytes: events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0),
                EventCount: events.length,
                CreationTime: seconds(new Date(events[0]?.time ?? Date.now())),
              },
            ]
          : [],
      };
    },

    /** Replays still running (for idle detection and a clean stop). */
    running: () => running.size,
    /** Wait for every running replay to end. */
    settled: async () => {
      await Promise.all([...running]);
      await saving;
    },
  };
}

export type ReplayControl = Awaited<ReturnType<typeof createReplayControl>>;
