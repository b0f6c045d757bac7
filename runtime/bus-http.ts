import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { entrySize, MAX_ENTRIES, MAX_REQUEST_BYTES, type WireEntry } from './bus-events.ts';
import { BusApiError } from './bus-replays.ts';
import type { LocalBus } from './local-bus.ts';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type Operations = Readonly<Record<string, (input: Record<string, unknown>) => Promise<unknown>>>;

/** Serve the EventBridge JSON protocol: `X-Amz-Target` names the operation, errors carry `__type`. */
export async function handleHttp(
  request: IncomingMessage,
  response: ServerResponse,
  operations: Operations,
): Promise<void> {
  const target = String(request.headers['x-amz-target']);
  const operation = operations[target];
  if (request.method !== 'POST' || !operation) {
    sendError(
      response,
      400,
      'UnknownOperationException',
      `This endpoint implements ${Object.keys(operations).join(', ')}, not ${target}.`,
    );
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    sendError(response, 413, 'ValidationException', 'Request body is too large.');
    return;
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body) as Record<string, unknown>;
  } catch {
    sendError(response, 400, 'SerializationException', 'Request body is not JSON.');
    return;
  }
  try {
    send(response, 200, await operation(input));
  } catch (error) {
    if (!(error instanceof BusApiError)) throw error;
    sendError(response, error.status, error.type, error.message);
  }
}

/** PutEvents' request checks: AWS rejects the whole request, not one entry, for these. */
export async function putEventsRequest(input: { Entries?: WireEntry[] }, putEvents: LocalBus['putEvents']) {
  const entries = input.Entries ?? [];
  if (entries.length < 1 || entries.length > MAX_ENTRIES)
    throw new BusApiError(
      'ValidationException',
      `Entries must hold 1 to ${MAX_ENTRIES} entries; got ${entries.length}.`,
    );
  if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_REQUEST_BYTES)
    throw new BusApiError(
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    );
  return putEvents(entries);
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}

export function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  if (response.headersSent) return;
  // The JSON protocol names the error in `__type`; the SDK turns it into an exception of that name.
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ __type: type, message }));
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
