import { createServer, type IncomingMessage } from 'node:http';
import type { Context } from 'aws-lambda';
import { OFFLINE_CREDENTIALS } from '../lib/aws/client-config.ts';
import { signerFor } from '../lib/aws/signed-request.ts';
import type { WorkerSpec } from '../topology/types.ts';
import { listen } from './bus-http.ts';
import { lambdaContext } from './lambda-shapes.ts';
import { describeError, type RuntimeLogger } from './logger.ts';
import { LOCAL_ACCOUNT } from './physical-names.ts';

/** A function behind an IAM-authorised URL: Lambda's payload 2.0 event in, `{ statusCode, headers, body }` out. */
export type UrlFunction = (
  event: unknown,
  context: Context,
) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;

export interface FunctionUrls {
  /** The URL of each served function, by worker name. */
  readonly urls: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * IAM-authorised Lambda function URLs offline, for operator-invoked workers (rerun): a request must carry a SigV4
 * signature (service `lambda`) by the offline credentials, checked by re-signing it, as AWS checks it; the function
 * gets Lambda's payload 2.0 event with the signer as `requestContext.authorizer.iam`. Unsigned or wrongly signed
 * requests get 403 like AWS, and the function is not called.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
export async function startFunctionUrls(options: {
  readonly region: string;
  readonly functions: Readonly<Record<string, { readonly spec: WorkerSpec; readonly handler: UrlFunction }>>;
  readonly logger: RuntimeLogger;
}): Promise<FunctionUrls> {
  const server = createServer((request, response) => {
    void (async () => {
      const name = (request.url ?? '/').split('/')[1] ?? '';
      const fn = options.functions[name];
      const body = await readBody(request);
      if (!fn) return reply(404, { Message: `No function URL /${name}/ here.` });
      const caller = await verifiedCaller(request, body, options.region);
      if (!caller)
        return reply(403, {
          Message: 'Forbidden: the request is not signed with valid credentials (SigV4, service lambda).',
        });
      const url = new URL(request.url ?? '/', 'http://localhost');
      const event = {
        version: '2.0',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([key, value]) => [key, String(value)]),
        ),
        body,
        isBase64Encoded: false,
        requestContext: {
          accountId: LOCAL_ACCOUNT,
          http: { method: request.method ?? 'GET', path: url.pathname, sourceIp: '127.0.0.1' },
          authorizer: { iam: caller },
        },
      };
      const result = await fn.handler(
        event,
        lambdaContext({
          functionName: name,
          timeoutSeconds: fn.spec.function.timeoutSeconds,
          memoryMb: fn.spec.function.memoryMb,
          region: options.region,
        }),
      );
      response.writeHead(result.statusCode, result.headers ?? {});
      response.end(result.body ?? '');
    })().catch((error) => {
      options.logger.error('function URL request failed', describeError(error));
      reply(502, { Message: 'The function failed; see the runtime log.' });
    });
    function reply(status: number, message: unknown) {
      if (response.headersSent) return;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(message));
    }
  });
  const port = await listen(server, 0);
  return {
    urls: Object.fromEntries(
      Object.keys(options.functions).map((name) => [name, `http://127.0.0.1:${port}/${name}/`]),
    ),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The signer as Lambda reports it, when the request's SigV4 signature is by the offline credentials; else null. */
async function verifiedCaller(request: IncomingMessage, body: string, region: string) {
  const authorization = String(request.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/[^,]+, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      authorization,
    );
  const date = String(request.headers['x-amz-date'] ?? '');
  if (!match || match[1] !== OFFLINE_CREDENTIALS.accessKeyId || !/^\d{8}T\d{6}Z$/.test(date)) return null;
  const signedHeaders = (match[2] ?? '').split(';');
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
  const resigned = await signerFor('lambda', region, OFFLINE_CREDENTIALS).sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        signedHeaders
          // The signer adds both again: the date from `signingDate`, the content hash from the body as received, so
          // a body changed after signing fails the comparison (a copied hash header would vouch for it).
          .filter((header) => header !== 'x-amz-date' && header !== 'x-amz-content-sha256')
          .map((header) => [header, String(request.headers[header] ?? '')]),
      ),
      body,
    },
    {
      signingDate: new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      ),
    },
  );
  if (String(resigned.headers.authorization) !== authorization) return null;
  const user = OFFLINE_CREDENTIALS.accessKeyId;
  return {
    accessKey: user,
    accountId: LOCAL_ACCOUNT,
    callerId: user,
    userArn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/${user}`,
    userId: user,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
