import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_CREDENTIALS } from '../lib/aws/client-config.ts';
import { signedJsonPost, signerFor } from '../lib/aws/signed-request.ts';
import { topology } from '../topology/topology.ts';
import { type FunctionUrls, startFunctionUrls } from './function-urls.ts';
import { silentLogger } from './logger.ts';

const spec = topology.workers.find((worker) => worker.name === 'rerun') ?? (undefined as never);
const REGION = 'us-east-1';

/** The offline function URL checks the SigV4 signature as AWS does before the function sees the request. */
describe('offline IAM-authorised function URLs', () => {
  let urls: FunctionUrls;
  const seen: unknown[] = [];

  beforeAll(async () => {
    urls = await startFunctionUrls({
      region: REGION,
      functions: {
        rerun: {
          spec,
          handler: async (event) => {
            seen.push(event);
            const caller = (event as { requestContext: { authorizer: { iam: { userArn: string } } } })
              .requestContext.authorizer.iam.userArn;
            return { statusCode: 200, body: JSON.stringify({ caller }) };
          },
        },
      },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await urls?.stop();
  });

  const url = () => urls.urls.rerun ?? expect.fail('no rerun URL');

  it('hands the function the signer of a correctly signed request', async () => {
    const response = await signedJsonPost(url(), '{"from":"2026-11-19"}', {
      service: 'lambda',
      region: REGION,
      credentials: OFFLINE_CREDENTIALS,
    });
    expect(response).toEqual({
      status: 200,
      text: JSON.stringify({ caller: 'arn:aws:iam::000000000000:user/offline' }),
    });
  });

  it.each([
    ['another secret', { ...OFFLINE_CREDENTIALS, secretAccessKey: 'guessed' }, '{"from":"2026-11-19"}'],
    ['a body changed after signing', OFFLINE_CREDENTIALS, '{"from":"2026-11-20"}'],
  ])('refuses a request signed with %s, and the function never runs', async (_, credentials, sentBody) => {
    // Prepare: sign one body, send another (or sign with the wrong secret).
    const before = seen.length;
    const target = new URL(url());
    const signed = await signerFor('lambda', REGION, credentials).sign({
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers: { host: target.host, 'content-type': 'application/json' },
      body: '{"from":"2026-11-19"}',
    });

    // Act
    const response = await fetch(url(), {
      method: 'POST',
      headers: signed.headers as Record<string, string>,
      body: sentBody,
    });

    // Assess
    expect(response.status).toBe(403);
    expect(seen.length).toBe(before);
  });
});
