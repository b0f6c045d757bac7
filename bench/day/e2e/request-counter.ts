import { currentFrame, RUNTIME_ACTOR } from './actor-context.ts';

/** The AWS services the bench counts calls of. */
export type CountedService = 'DynamoDB' | 'S3' | 'SQS' | 'EventBridge';

/** Calls of one service operation on one target by one actor, with what the bill depends on. */
export interface CallTally {
  readonly service: CountedService;
  readonly operation: string;
  /** Logical table (and index), bucket and key prefix, or queue. */
  readonly target: string;
  readonly actor: string;
  /** Calls; an operation suffixed ` (empty)` counts calls that found nothing (a receive, a query): polling, not work. */
  calls: number;
  /** HTTP attempts, retries included (each is billed). */
  attempts: number;
  errors: number;
  /** DynamoDB capacity units from `ConsumedCapacity`, or estimated when the call failed (see `estimatedUnits`). */
  readUnits: number;
  writeUnits: number;
  estimatedUnits: number;
  /** PutEvents entries, SQS batch entries, messages received. */
  entries: number;
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type Handler = (args: { input: object }) => Promise<{ output: unknown }>;

/** Any SDK v3 client, by the one member the counter needs (document clients share their base client's stack). */
export interface CountableClient {
  readonly middlewareStack: {
    add(
      middleware: (next: Handler, context: { commandName?: string }) => Handler,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

/** Turns a physical resource (table name, bucket, queue URL) into the name the topology gives it. */
export interface ResourceNames {
  table(physical: string): string;
  bucket(physical: string): string;
  queue(url: string): string;
}

/**
 * Counts every call of the SDK clients it is attached to, by service, operation, target and actor, as one
 * `initialize` middleware (so a call is counted once; `$metadata.attempts` gives its retries). DynamoDB calls are
 * sent with `ReturnConsumedCapacity: 'TOTAL'` unless the caller chose a value: the response then carries the
 * capacity units on-demand billing charges; nothing else about the call changes.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html
 */
export class RequestCounter {
  private readonly tallies = new Map<string, CallTally>();
  private counting = false;
  private readonly attached = new WeakSet<object>();

  constructor(private readonly names: ResourceNames) {}

  start(): void {
    this.counting = true;
  }

  stop(): void {
    this.counting = false;
  }

  results(): CallTally[] {
    return [...this.tallies.values()];
  }

  /** Add the counting middleware to a client (a document client shares its base client's stack). */
  attach(service: CountedService, client: CountableClient): void {
    if (this.attached.has(client.middlewareStack)) return;
    this.attached.add(client.middlewareStack);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        if (!this.counting) return next(args);
        const input = args.input as Record<string, unknown>;
        const sent =
          service === 'DynamoDB' &&
          (READS.has(operation) || WRITES.has(operation)) &&
          !input.ReturnConsumedCapacity
            ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
            : args;
        const target = this.targetOf(service, input);
        try {
          const result = await next(sent);
          const output = result.output as Record<string, unknown> & { $metadata?: { attempts?: number } };
          const tally = this.tally(
            service,
            isEmpty(operation, output) ? `${operation} (empty)` : operation,
            target,
          );
          tally.calls += 1;
          tally.attempts += output.$metadata?.attempts ?? 1;
          tally.entries += entriesOf(operation, input, output);
          this.addUnits(tally, operation, output.ConsumedCapacity, input);
          return result;
        } catch (error) {
          const tally = this.tally(service, operation, target);
          tally.calls += 1;
          tally.errors += 1;
          tally.attempts += (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
          tally.entries += entriesOf(operation, input, {});
          if (service === 'DynamoDB') this.addUnits(tally, operation, undefined, input);
          throw error;
        }
      },
      { step: 'initialize', name: 'benchRequestCounter', override: true },
    );
  }

  private tally(service: CountedService, operation: string, target: string): CallTally {
    const actor = currentFrame()?.actor ?? RUNTIME_ACTOR;
    if (service === 'EventBridge' && operation === 'PutEvents') {
      const frame = currentFrame();
      if (frame) frame.published = true;
    }
    const key = `${service}|${operation}|${target}|${actor}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = {
        service,
        operation,
        target,
        actor,
        calls: 0,
        attempts: 0,
        errors: 0,
        readUnits: 0,
        writeUnits: 0,
        estimatedUnits: 0,
        entries: 0,
      };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private targetOf(service: CountedService, input: Record<string, unknown>): string {
    switch (service) {
      case 'DynamoDB':
        return (
          tablesOf(input)
            .map((table) => this.names.table(table))
            .join('+') + (input.IndexName ? `/${String(input.IndexName)}` : '')
        );
      case 'S3':
        return `${this.names.bucket(String(input.Bucket ?? '?'))}:${keyPrefix(String(input.Key ?? input.Prefix ?? ''))}`;
      case 'SQS':
        return this.names.queue(String(input.QueueUrl ?? '?'));
      case 'EventBridge':
        return 'bus';
    }
  }

  /**
   * Capacity units a DynamoDB call consumed: from the response, else (a refused condition, a cancelled transaction)
   * estimated as DynamoDB bills a failed write: 1 unit per item, 2 in a transaction (items here are under 1 KB).
   */
  private addUnits(
    tally: CallTally,
    operation: string,
    consumed: unknown,
    input: Record<string, unknown>,
  ): void {
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
      CapacityUnits?: number;
    }[];
    const units = list.reduce((total, entry) => total + (entry.CapacityUnits ?? 0), 0);
    if (list.length > 0) {
      if (READS.has(operation) && units === 0) {
        // DynamoDB Local reports 0 for a read that found nothing; DynamoDB rounds every read up to the next 4 KB, so
        // it bills at least ½ unit (1 if strongly consistent).
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
        const minimum = input.ConsistentRead === true ? 1 : 0.5;
        tally.readUnits += minimum;
        tally.estimatedUnits += minimum;
      } else if (READS.has(operation)) tally.readUnits += units;
      else if (WRITES.has(operation)) tally.writeUnits += units;
      return;
    }
    if (!READS.has(operation) && !WRITES.has(operation)) return;
    const items = itemCount(operation, input);
    const estimate = operation.startsWith('Transact') ? 2 * items : items;
    if (READS.has(operation)) tally.readUnits += estimate;
    else tally.writeUnits += estimate;
    tally.estimatedUnits += estimate;
  }
}

/** Tables a DynamoDB request touches. */
function tablesOf(input: Record<string, unknown>): string[] {
  if (typeof input.TableName === 'string') return [input.TableName];
  if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  if (Array.isArray(input.TransactItems)) {
    const names = (input.TransactItems as Record<string, { TableName?: string }>[]).flatMap((item) =>
      Object.values(item).map((operation) => operation.TableName ?? '?'),
    );
    return [...new Set(names)].sort();
  }
  return ['?'];
}

/** Items a DynamoDB request names (for estimating the units of a failed one). */
function itemCount(operation: string, input: Record<string, unknown>): number {
  if (Array.isArray(input.TransactItems)) return input.TransactItems.length;
  if (input.RequestItems && typeof input.RequestItems === 'object') {
    return Object.values(
      input.RequestItems as Record<string, unknown[] | { Keys?: unknown[] }>,
    ).reduce<number>(
      (total, entry) => total + (Array.isArray(entry) ? entry.length : (entry.Keys?.length ?? 0)),
      0,
    );
  }
  return operation === 'Query' || operation === 'Scan' ? 1 : 1;
}

/** Entries of a request: PutEvents entries, SQS batch entries, messages sent or received. */
function entriesOf(
  operation: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
): number {
  if (Array.isArray(input.Entries)) return input.Entries.length;
  if (operation === 'ReceiveMessage') return (output.Messages as unknown[] | undefined)?.length ?? 0;
  return operation === 'SendMessage' ? 1 : 0;
}

/** A poll that found nothing. */
function isEmpty(operation: string, output: Record<string, unknown>): boolean {
  if (operation === 'ReceiveMessage') return ((output.Messages as unknown[] | undefined)?.length ?? 0) === 0;
  if (operation === 'Query' || operation === 'Scan') return output.Count === 0;
  return false;
}

/** The first one or two segments of a key: `silver/dedup`, `history/dedup`, `raw`, `quarantine/dedup`. */
function keyPrefix(key: string): string {
  const [first = '', second = ''] = key.split('/');
  return second !== '' && !second.includes('=') && ['silver', 'quarantine', 'history', 'gold'].includes(first)
    ? `${first}/${second}`
    : first;
}
