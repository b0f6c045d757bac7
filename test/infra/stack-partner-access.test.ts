import { beforeAll, describe, expect, it } from 'vitest';
import { partners } from '../../config/partners.ts';
import { names } from '../../stacks/plan/names.ts';
import { type ArnIndex, indexArns } from './harness/arns.ts';
import {
  mockState,
  ofType,
  REGION,
  runStack,
  type StackRun,
  TEST_PARTNER_PRINCIPALS,
} from './harness/sst-mocks.ts';
import { json, one } from './harness/stages.ts';

/**
 * The real sst.config.ts and stacks/ under Pulumi's mocks: partners' delivery roles on production (every partner
 * configured) and on a development stage where only acme-bank has principals, and the deploys that are refused.
 */

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string;
  Principal?: { AWS: string[] };
  Condition?: Record<string, Record<string, string>>;
}

const ROLE = 'aws:iam/role:Role';
const only = (partner: string) => ({
  FINLEDGER_PARTNER_PRINCIPALS: JSON.stringify({ [partner]: TEST_PARTNER_PRINCIPALS[partner] }),
});
const actionsOf = (statement: PolicyStatement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

function partnerRoles(run: StackRun) {
  return ofType(run, ROLE).filter((role) => /^Partner.*DeliveryRole$/.test(role.name));
}

function policyOf(run: StackRun, partner: string) {
  const role = one(run, ROLE, names.partnerRole(partner));
  const [inline] = role.inputs.inlinePolicies as { policy: string }[];
  return {
    role,
    trust: json<{ Statement: PolicyStatement[] }>(role.inputs.assumeRolePolicy).Statement,
    delivery: json<{ Statement: PolicyStatement[] }>(inline?.policy).Statement,
  };
}

describe('partner delivery roles', () => {
  let production: StackRun;
  let dev: StackRun;
  let arns: ArnIndex;
  beforeAll(async () => {
    production = await runStack('production');
    arns = indexArns(production);
    dev = await runStack('dev', only('acme-bank'));
  });

  it('declares one role per configured partner and outputs each ARN as partnerRole_<id>', () => {
    expect(partnerRoles(production).map((role) => role.name)).toEqual(
      partners.map((partner) => names.partnerRole(partner.id)),
    );
    for (const partner of partners) {
      const role = one(production, ROLE, names.partnerRole(partner.id));
      expect(production.outputs[`partnerRole_${partner.id}`]).toBe(
        mockState(ROLE, role.name, role.inputs).arn,
      );
    }
    expect(production.outputs).not.toHaveProperty(names.partnersWithoutRoleOutput());
  });

  it('gives a development stage roles only for the partners it configures, and reports the others', () => {
    expect(partnerRoles(dev).map((role) => role.name)).toEqual([names.partnerRole('acme-bank')]);
    expect(Object.keys(dev.outputs).filter((output) => output.startsWith('partnerRole_'))).toEqual([
      'partnerRole_acme-bank',
    ]);
    expect(dev.outputs[names.partnersWithoutRoleOutput()]).toMatch(
      /^globex-pay, initech-acq: no entry in FINLEDGER_PARTNER_PRINCIPALS on this stage/,
    );
  });

  it.each(partners.map((partner) => [partner.id]))(
    'lets only the principals configured for %s assume its role, with its external id, for an hour',
    (partner) => {
      const { role, trust } = policyOf(production, partner);
      const configured = TEST_PARTNER_PRINCIPALS[partner];

      expect(trust).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { AWS: configured?.principals },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': configured?.externalId } },
        }),
      ]);
      expect(role.inputs.maxSessionDuration).toBe(3600);
    },
  );

  it.each(partners.map((partner) => [partner.id]))(
    "limits %s's role to its own landing prefix and the landing key through S3",
    (partner) => {
      const { delivery } = policyOf(production, partner);
      const landing = names.bucket('landing');
      const targets = delivery.map((statement) => [actionsOf(statement), arns.resolve(statement.Resource)]);

      expect(targets).toEqual([
        [
          ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          { kind: 'bucket', component: landing, path: `inbound/${partner}/*` },
        ],
        [['s3:ListBucket'], { kind: 'bucket', component: landing, path: null }],
        [['kms:GenerateDataKey', 'kms:Decrypt'], { kind: 'key', component: names.bucketKey('landing') }],
      ]);
      expect(delivery[1]?.Condition).toEqual({ StringLike: { 's3:prefix': `inbound/${partner}/*` } });
      expect(delivery[2]?.Condition).toEqual({
        StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      });
    },
  );

  it("grants no partner another partner's prefix", () => {
    for (const partner of partners) {
      const { delivery } = policyOf(production, partner.id);
      const granted = JSON.stringify(delivery);
      for (const other of partners.filter((candidate) => candidate.id !== partner.id))
        expect(granted).not.toContain(`inbound/${other.id}/`);
    }
  });

  it('refuses to deploy production while a partner has no principals, naming it and the variable', async () => {
    await expect(runStack('production', only('acme-bank'))).rejects.toThrow(
      /FINLEDGER_PARTNER_PRINCIPALS has no entry for partners globex-pay, initech-acq/,
    );
  });

  it('refuses to deploy any stage with principals for a partner config/partners.ts does not know', async () => {
    const unknown = JSON.stringify({ 'wayne-fin': TEST_PARTNER_PRINCIPALS['acme-bank'] });

    await expect(runStack('dev', { FINLEDGER_PARTNER_PRINCIPALS: unknown })).rejects.toThrow(
      /FINLEDGER_PARTNER_PRINCIPALS is not valid: partner wayne-fin is not in config\/partners\.ts/,
    );
  });
});
