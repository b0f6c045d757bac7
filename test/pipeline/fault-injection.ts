import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type DynamoDBClient,
  type ServiceInputTypes as DynamoDbInput,
  type ServiceOutputTypes as DynamoDbOutput,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import type {
  EventBridgeClient,
  ServiceInputTypes as EventBridgeInput,
  ServiceOutputTypes as EventBridgeOutput,
  PutEventsCommandInput,
  PutEventsCommandOutput,
  PutEventsRequestEntry,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type {
  PutObjectCommandInput,
  S3Client,
  ServiceInputTypes as S3Input,
  ServiceOutputTypes as S3Output,
} from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware, InitializeMiddleware } from '@smithy/types';
import type { SqsHandler } from '../../runtime/lambda-shapes.ts';

/*
 * Faults and probes for pipeline tests, installed as AWS SDK v3 middleware on the REAL clients the handlers
 * use (`sharedAwsClients()`), because the emulators never throttle nor partly fail (INTEGRITY-NOTES).
 * Each returns `remove()`; call it in `finally` so the next test sees a clean client.
 */

/** Something installed on a client's middleware stack. */
export interface Installed {
  remove(): void;
}

/**
 * The SDK's retry loop is the `retryMiddleware` (finalizeRequest step, @smithy/core/retry). A middleware
 * added `after` it runs inside the loop, once per attempt, so a fault thrown there is retried like a
 * real service error and a probe there counts real round trips.
 */
export const RETRY_MIDDLEWARE = 'retryMiddleware';

let sequence = 0;
const uniqueName = (what: string) => `finledger-test-${what}-${++sequence}`;

/** What EventBridge answers for an entry it could not take (inside a 200 response). */
export const INJECTED_PUT_EVENTS_FAILURE = {
  ErrorCode: 'InternalFailure',
  ErrorMessage: 'Injected by the test: EventBridge could not accept this entry; retry it.',
} as const satisfies PutEventsResultEntry;

/**
 * Fail one PutEvents entry, once, the way EventBridge partly fails: the entry is taken out of the request
 * (the bus never sees it), and a failed result is spliced in at its index with `FailedEntryCount` raised.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * @example const fault = failPutEventsEntryOnce(sharedAwsClients().eventbridge, (e) => e.DetailType === 'FileLanded');
 */
export function failPutEventsEntryOnce(
  client: EventBridgeClient,
  matches: (entry: PutEventsRequestEntry) => boolean,
): Installed & { failedEntry(): PutEventsRequestEntry | undefined } {
  let failed: PutEventsRequestEntry | undefined;
  const name = uniqueName('put-events-partial-failure');
  const middleware: InitializeMiddleware<EventBridgeInput, EventBridgeOutput> =
    (next, context) => async (args) => {
      if (failed || context.commandName !== 'PutEventsCommand') return next(args);
      const input = args.input as PutEventsCommandInput;
      const entries = input.Entries ?? [];
      const index = entries.findIndex(matches);
      if (index < 0) return next(args);
      failed = entries[index];
      const rest = entries.filter((_, position) => position !== index);
      if (rest.length === 0) {
        // PutEvents refuses an empty request, so a lone entry's failure is answered here.
        const output: PutEventsCommandOutput = {
          $metadata: { httpStatusCode: 200 },
          FailedEntryCount: 1,
          Entries: [{ ...INJECTED_PUT_EVENTS_FAILURE }],
        };
        return { response: {}, output };
      }
      const result = await next({ ...args, input: { ...input, Entries: rest } });
      const output = result.output as PutEventsCommandOutput;
      const results = [...(output.Entries ?? [])];
      results.splice(index, 0, { ...INJECTED_PUT_EVENTS_FAILURE });
      const partial: PutEventsCommandOutput = {
        ...output,
        FailedEntryCount: (output.FailedEntryCount ?? 0) + 1,
        Entries: results,
      };
      return { ...result, output: partial };
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name });
  return { failedEntry: () => failed, remove: () => client.middlewareStack.remove(name) };
}

/**
 * Throw a real `ProvisionedThroughputExceededException` for the first `times` attempts of matching
 * commands, inside the SDK's retry loop (so the retry strategy backs off and retries as it would in AWS).
 * DynamoDB Local never throttles.
 * @example const throttle = throttleDynamoDb(sharedAwsClients().dynamodb, { commandName: 'TransactWriteItemsCommand', times: 3 });
 */
export function throttleDynamoDb(
  client: DynamoDBClient,
  options: {
    commandName: string;
    times: number;
    /** Narrow to some requests of that command (the input is already marshalled here). */
    when?: (input: DynamoDbInput) => boolean;
  },
): Installed & { throttled(): number; passed(): number } {
  let throttled = 0;
  let passed = 0;
  const name = uniqueName('dynamodb-throttle');
  const middleware: FinalizeRequestMiddleware<DynamoDbInput, DynamoDbOutput> =
    (next, context) => async (args) => {
      if (context.commandName === options.commandName && (options.when?.(args.input) ?? true)) {
        if (throttled < options.times) {
          throttled++;
          throw new ProvisionedThroughputExceededException({
            message: `Injected by the test: throttle ${throttled} of ${options.times}.`,
            $metadata: { httpStatusCode: 400, attempts: 1 },
          });
        }
        passed++;
      }
      return next(args);
    };
  client.middlewareStack.addRelativeTo(middleware, {
    relation: 'after',
    toMiddleware: RETRY_MIDDLEWARE,
    name,
  });
  return {
    throttled: () => throttled,
    passed: () => passed,
    remove: () => client.middlewareStack.remove(name),
  };
}

/**
 * Let the first `times` attempts of matching commands reach DynamoDB (their writes happen) and then lose
 * the response, as a reset connection does: the caller sees a transient `ECONNRESET` the SDK retries.
 * @example const lost = loseDynamoDbResponses(sharedAwsClients().dynamodb, { commandName: 'TransactWriteItemsCommand', times: 4 });
 */
export function loseDynamoDbResponses(
  client: DynamoDBClient,
  options: { commandName: string; times: number; when?: (input: DynamoDbInput) => boolean },
): Installed & { lost(): number } {
  let lost = 0;
  const name = uniqueName('dynamodb-lost-response');
  const middleware: FinalizeRequestMiddleware<DynamoDbInput, DynamoDbOutput> =
    (next, context) => async (args) => {
      const result = await next(args);
      if (
        context.commandName === options.commandName &&
        (options.when?.(args.input) ?? true) &&
        lost < options.times
      ) {
        lost++;
        throw Object.assign(new Error(`Injected by the test: response ${lost} of ${options.times} lost.`), {
          name: 'TimeoutError',
          code: 'ECONNRESET',
          $metadata: {},
        });
      }
      return result;
    };
  client.middlewareStack.addRelativeTo(middleware, {
    relation: 'after',
    toMiddleware: RETRY_MIDDLEWARE,
    name,
  });
  return { lost: () => lost, remove: () => client.middlewareStack.remove(name) };
}

/**
 * Attribute work done by the SDK to the handler invocation that caused it (AsyncLocalStorage follows the
 * handler's async calls into the middleware), since every handler shares one process and one client.
 */
export function invocationScopes() {
  const storage = new AsyncLocalStorage<string>();
  return {
    current: (): string | undefined => storage.getStore(),
    /** Run each invocation of `handler` in the scope `scopeOf(event)` names. */
    wrap:
      (handler: SqsHandler, scopeOf: (event: Parameters<SqsHandler>[0]) => string): SqsHandler =>
      (event, context) =>
        storage.run(scopeOf(event), () => handler(event, context)),
  };
}

/**
 * Count DynamoDB round trips (attempts, after the retry loop) by command name and by scope.
 * @example const calls = countDynamoDbCalls(sharedAwsClients().dynamodb, scopes.current); calls.byCommand('f_1')
 */
export function countDynamoDbCalls(
  client: DynamoDBClient,
  scopeOf: () => string | undefined = () => undefined,
): Installed & { byCommand(scope?: string): Record<string, number> } {
  const calls: { commandName: string; scope: string | undefined }[] = [];
  const name = uniqueName('dynamodb-call-count');
  const middleware: FinalizeRequestMiddleware<DynamoDbInput, DynamoDbOutput> =
    (next, context) => async (args) => {
      calls.push({ commandName: context.commandName ?? 'unknown', scope: scopeOf() });
      return next(args);
    };
  client.middlewareStack.addRelativeTo(middleware, {
    relation: 'after',
    toMiddleware: RETRY_MIDDLEWARE,
    name,
  });
  return {
    byCommand(scope) {
      const counts: Record<string, number> = {};
      for (const call of calls) {
        if (scope !== undefined && call.scope !== scope) continue;
        counts[call.commandName] = (counts[call.commandName] ?? 0) + 1;
      }
      return counts;
    },
    remove: () => client.middlewareStack.remove(name),
  };
}

/** Record the keys of every PutObject sent to one bucket. */
export function recordS3Puts(client: S3Client, bucket: string): Installed & { keys(): string[] } {
  const keys: string[] = [];
  const name = uniqueName('s3-put-record');
  const middleware: InitializeMiddleware<S3Input, S3Output> = (next, context) => async (args) => {
    const input = args.input as PutObjectCommandInput;
    if (context.commandName === 'PutObjectCommand' && input.Bucket === bucket) keys.push(input.Key ?? '');
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'initialize', name });
  return { keys: () => [...keys], remove: () => client.middlewareStack.remove(name) };
}
