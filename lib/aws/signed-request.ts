import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 as SignatureV4 wants it (a hash, or an HMAC when given a secret), on node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface SigningIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A SigV4 signer for one service and region (the same signer verifies offline). */
export const signerFor = (service: string, region: string, credentials: SigningIdentity): SignatureV4 =>
  new SignatureV4({ service, region, credentials, sha256: Sha256 });

/**
 * POST JSON to an IAM-authorised URL (a Lambda function URL), signed with SigV4 as the AWS CLI would: the service
 * learns who the caller is from the signature, not from anything in the body.
 */
export async function signedJsonPost(
  url: string,
  body: string,
  signing: { readonly service: string; readonly region: string; readonly credentials: SigningIdentity },
): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const signed = await signerFor(signing.service, signing.region, signing.credentials).sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port ? { port: Number(target.port) } : {}),
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  });
  return { status: response.status, text: await response.text() };
}
