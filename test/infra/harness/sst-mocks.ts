import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { partners } from '../../../config/partners.ts';
import { topology as finledgerTopology } from '../../../topology/topology.ts';
import type { Topology } from '../../../topology/types.ts';

/**
 * Runs the real `sst.config.ts` (and so every SST component and Pulumi resource of stacks/) under
 * Pulumi's runtime mocks, offline:
 * - SST's platform (component sources, @pulumi/*) comes from scripts/sst-offline-install.sh;
 * - the globals SST's CLI defines for a program ($app, $dev, $cli, sst, aws, $interpolate…) are
 *   set from the platform's own shim;
 * - the two calls SST components make to the CLI's RPC server (Provider.Aws.Bootstrap for the
 *   asset bucket, Runtime.Build to bundle a handler) are answered by a loopback server that
 *   records each build request and returns a stub bundle;
 * - resources are recorded by the mock monitor, with ARNs derived from their names, and their
 *   protect/retainOnDelete options by a stack transformation registered after SST's own.
 */

const root = resolve(import.meta.dirname, '../../..');
const platform = join(root, '.sst/platform');

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Whether the resource is an SST/Pulumi component (true) or a provider resource. */
  readonly component: boolean;
}

export interface ResourceOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

/** What SST asked its CLI to bundle for one function. */
export interface BuildRequest {
  readonly functionID: string;
  readonly handler: string;
  readonly links: Record<string, Record<string, unknown>>;
  readonly properties: { architecture?: string };
}

export interface StackRun {
  readonly stage: string;
  readonly app: { name: string; removal: string; protect: boolean };
  readonly resources: readonly DeclaredResource[];
  readonly options: ReadonlyMap<string, ResourceOptions>;
  readonly builds: readonly BuildRequest[];
  readonly outputs: Record<string, unknown>;
}

type Module = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: the Pulumi runtime is loaded from .sst/platform at run time.
type Pulumi = any;

/** Install the platform if this clone has not yet (CI runs tests before any typecheck). */
export function ensurePlatform(): void {
  if (
    !existsSync(join(platform, 'types/sst.d.ts')) ||
    !existsSync(join(platform, 'node_modules/@pulumi/aws'))
  ) {
    execFileSync('bash', [join(root, 'scripts/sst-offline-install.sh')], { cwd: root, stdio: 'inherit' });
  }
}

function load(path: string): Promise<Module> {
  return import(path) as Promise<Module>;
}

/** ARNs and names derived from the logical name, so assertions can map ARNs back to resources. */
export function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const physical = typeof inputs.name === 'string' ? inputs.name : `${name.toLowerCase()}-phys`;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
  switch (type) {
    case 'aws:sqs/queue:Queue':
      return {
        name: physical,
        arn: arn('sqs', physical),
        url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}`,
      };
    case 'aws:dynamodb/table:Table':
      return {
        name: physical,
        arn: arn('dynamodb', `table/${physical}`),
        streamArn: arn('dynamodb', `table/${physical}/stream/1`),
      };
    case 'aws:s3/bucket:Bucket':
      return {
        bucket: physical,
        arn: `arn:aws:s3:::${physical}`,
        bucketDomainName: `${physical}.s3.amazonaws.com`,
      };
    case 'aws:kms/key:Key':
      return { keyId: `${name}-id`, arn: arn('kms', `key/${name}`) };
    case 'aws:cloudwatch/eventBus:EventBus':
      return { name: physical, arn: arn('events', `event-bus/${physical}`) };
    case 'aws:cloudwatch/eventRule:EventRule':
      return { name: physical, arn: arn('events', `rule/${physical}`) };
    case 'aws:lambda/function:Function':
      return { name: physical, arn: arn('lambda', `function:${physical}`) };
    case 'aws:lambda/functionUrl:FunctionUrl':
      return { functionUrl: `https://${name.toLowerCase()}.lambda-url.${REGION}.on.aws/` };
    case 'random:index/randomBytes:RandomBytes':
      return { base64: Buffer.from('0123456789abcdef0123456789abcdef').toString('base64') };
    default:
      return { name: physical, arn: arn('mock', `${type}/${name}`) };
  }
}

/** Pulumi's wire marker for a secret value; outputs derived from a linked sst.Secret carry it. */
const SECRET_SIGNATURE_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIGNATURE = '1b47061264138c4ac30d75fd1eb44270';

/** Recorded inputs with secret-marked values unwrapped, so assertions compare the plain values. */
function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE) return revealSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, revealSecrets(entry)]));
}

function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: 'test' };
    case 'aws:index/getPartition:getPartition':
      return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
    case 'aws:index/getRegion:getRegion':
      return { name: REGION, region: REGION };
    case 'aws:iam/getPolicyDocument:getPolicyDocument':
      return { json: JSON.stringify({ Statement: inputs.statements ?? [] }), statements: inputs.statements };
    default:
      return inputs;
  }
}

/** Loopback stand-in for the SST CLI's RPC server. */
async function startFakeCli(builds: BuildRequest[]): Promise<Server> {
  const bundle = mkdtempSync(join(tmpdir(), 'finledger-bundle-'));
  writeFileSync(join(bundle, 'handler.mjs'), 'export const handler = async () => ({});\n');
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const { method, params } = JSON.parse(body) as { method: string; params: [Record<string, unknown>] };
      let result: unknown = null;
      if (method === 'Provider.Aws.Bootstrap') {
        result = {
          asset: 'sst-asset-bucket',
          assetEcrRegistryId: '',
          assetEcrUrl: '',
          state: 'sst-state-bucket',
        };
      } else if (method === 'Runtime.Build') {
        builds.push(params[0] as unknown as BuildRequest);
        result = { handler: 'handler.handler', out: bundle, errors: [], sourcemaps: [] };
      }
      response.end(JSON.stringify(result === null ? { error: `rpc: can't find ${method}` } : { result }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return server;
}

async function setGlobals(stage: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'finledger-sst-work-'));
  mkdirSync(join(work, 'artifacts'), { recursive: true });
  const scope = globalThis as Record<string, unknown>;
  scope.$dev = false;
  scope.$cli = { command: 'deploy', paths: { root, work, platform }, home: 'aws', backend: 'aws', state: {} };
  // $app is set again from sst.config.ts's app() before run(); components only read it then.
  scope.$app = { name: 'finledger', stage, removal: 'remove', protect: false, providers: {} };
  Object.assign(scope, await load(join(platform, 'src/shim/run.js')));
  scope.aws = await load(join(platform, 'node_modules/@pulumi/aws/index.js'));
  scope.sst = await load(join(platform, 'src/components/index.ts'));
}

/** The on-call address tests deploy production with. */
export const TEST_ONCALL = { FINLEDGER_ALARM_EMAIL: 'payments-oncall@finledger.dev' } as const;

/** Each partner's own test account (111111111111, 222222222222, …) and external id. */
export const TEST_PARTNER_PRINCIPALS = Object.fromEntries(
  partners.map((partner, index) => [
    partner.id,
    {
      principals: [`arn:aws:iam::${String(index + 1).repeat(12)}:root`],
      externalId: `finledger-test-${partner.id}`,
    },
  ]),
);

/** What a production deploy must set: the on-call address and every partner's principals. */
export const TEST_PRODUCTION_ENV = {
  ...TEST_ONCALL,
  FINLEDGER_PARTNER_PRINCIPALS: JSON.stringify(TEST_PARTNER_PRINCIPALS),
} as const;

/**
 * Run sst.config.ts for a stage under Pulumi mocks and return everything it declared. `env` overrides what the deploy
 * sets (undefined unsets a variable); `topology` deploys a test topology instead of finledger's own (the same
 * `deploy` that sst.config.ts runs, given that topology).
 * @example const run = await runStack('dev'); run.resources.filter((r) => r.type === 'aws:sqs/queue:Queue')
 */
export async function runStack(
  stage: string,
  env: Readonly<Record<string, string | undefined>> = {},
  deployment: { readonly topology?: Topology } = {},
): Promise<StackRun> {
  const topology = deployment.topology ?? finledgerTopology;
  ensurePlatform();
  const pulumi: Pulumi = await load(join(platform, 'node_modules/@pulumi/pulumi/index.js'));
  const resources: DeclaredResource[] = [];
  const options = new Map<string, ResourceOptions>();
  const builds: BuildRequest[] = [];
  const server = await startFakeCli(builds);
  process.env.SST_SERVER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // What `sst secret set` provides at deploy time; sst.Secret refuses to deploy without it.
  for (const secret of topology.secrets)
    process.env[`SST_SECRET_${secret.name}`] ??= `mock-${secret.name}-value`;
  // What a production deploy must set (stacks/stage-config.ts refuses production without them); other stages page
  // nobody and give no partner a role, unless `env` says otherwise.
  const defaults =
    stage === 'production'
      ? TEST_PRODUCTION_ENV
      : { FINLEDGER_ALARM_EMAIL: undefined, FINLEDGER_PARTNER_PRINCIPALS: undefined };
  const deployEnv = { ...defaults, ...env };
  // Put back afterwards: infra files share a worker, and a later file must not deploy with this run's settings.
  const previousEnv = Object.fromEntries(Object.keys(deployEnv).map((name) => [name, process.env[name]]));
  setEnv(deployEnv);
  const cwd = process.cwd();
  try {
    await setGlobals(stage);
    await pulumi.runtime.setMocks(
      {
        newResource(args: { type: string; name: string; inputs: Record<string, unknown>; custom?: boolean }) {
          resources.push({
            type: args.type,
            name: args.name,
            inputs: revealSecrets(args.inputs) as Record<string, unknown>,
            component: args.custom === false,
          });
          return {
            id: `${args.name}-id`,
            state: { ...args.inputs, ...mockState(args.type, args.name, args.inputs) },
          };
        },
        call(args: { token: string; inputs: Record<string, unknown> }) {
          return mockCall(args.token, args.inputs);
        },
      },
      'finledger',
      stage,
      false,
    );
    const scope = globalThis as Record<string, unknown>;
    scope.$config = (input: unknown) => input;
    const config = (await load(join(root, 'sst.config.ts'))).default as {
      app(input: { stage: string }): Promise<{ name: string; removal: string; protect: boolean }>;
      run(): Promise<Record<string, unknown>>;
    };
    const app = await config.app({ stage });
    scope.$app = { name: app.name, stage, removal: app.removal, protect: app.protect, providers: {} };
    const { run } = (await load(join(platform, 'src/auto/run.ts'))) as {
      run(program: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>>;
    };
    const outputs = (await pulumi.runtime.runInPulumiStack(() =>
      run(async () => {
        pulumi.runtime.registerStackTransformation(
          (args: { type: string; name: string; opts: { protect?: boolean; retainOnDelete?: boolean } }) => {
            options.set(`${args.type}::${args.name}`, {
              protect: args.opts.protect === true,
              retainOnDelete: args.opts.retainOnDelete === true,
            });
            return undefined;
          },
        );
        if (!deployment.topology) return config.run();
        const { deploy } = (await load(join(root, 'stacks/index.ts'))) as {
          deploy(topology: Topology): Record<string, unknown>;
        };
        return deploy(deployment.topology);
      }),
    )) as Record<string, unknown>;
    await pulumi.runtime.waitForRPCs();
    return { stage, app, resources, options, builds, outputs };
  } finally {
    process.chdir(cwd);
    server.close();
    setEnv(previousEnv);
  }
}

function setEnv(values: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(values))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
}

/** Resources of one type, by name. */
export function ofType(run: StackRun, type: string): DeclaredResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** Options a resource was declared with (after SST's own transformations). */
export function optionsOf(run: StackRun, type: string, name: string): ResourceOptions | undefined {
  return run.options.get(`${type}::${name}`);
}
