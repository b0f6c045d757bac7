/**
 * finledger's offline AWS runtime: the same handlers and SDK clients as in AWS, on DynamoDB Local,
 * fauxqs and a local EventBridge bus. `startRuntime` composes everything; the parts are exported for
 * the CLI and for tests that need one piece at a time.
 */

export type { EventPattern } from '../topology/event-patterns.ts';
export { type BusArchive, createArchive } from './bus-archive.ts';
export type { BusEvent, WireEntry } from './bus-events.ts';
export { type BusRule, busRules, matchesPattern } from './bus-rules.ts';
export { localClientConfig, localClients, localEventBridgeClient } from './clients.ts';
export { type DlqKind, type DlqMessage, type DlqTools, dlqTools } from './dlq.ts';
export { type EmulatorEndpoints, type Emulators, startEmulators } from './emulators.ts';
export { type HandlerMap, loadServiceHandlers } from './handlers.ts';
export { queueDepths, waitForIdle } from './idle.ts';
export { type LocalBus, type PutEventsResult, type ReplayOptions, startLocalBus } from './local-bus.ts';
export { createLogFile, type LogFile, runtimeLogDir, runtimeLogPath } from './log-file.ts';
export { consoleLogger, type RuntimeLogger, silentLogger, teeLogger } from './logger.ts';
export { type Loop, startLoop } from './loop.ts';
export { busPhysicalName, serviceQueueNames } from './physical-names.ts';
export { type PipelineOptions, startPipeline } from './pipeline.ts';
export { type Poller, type SqsHandler, startPoller } from './poller.ts';
export { type ProvisionedResources, provision } from './provision.ts';
export { applyResourceEnv, resourceEnv } from './resource-env.ts';
export { type Runtime, type RuntimeOptions, startRuntime, type WorkerFn } from './runtime.ts';
