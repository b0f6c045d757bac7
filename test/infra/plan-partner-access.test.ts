import { describe, expect, it } from 'vitest';
import { partners } from '../../config/partners.ts';
import { names } from '../../stacks/plan/names.ts';
import { PartnerAccessError, planPartnerAccess } from '../../stacks/plan/partner-access.ts';
import { partnerDeliveryPolicy, partnerTrustPolicy } from '../../stacks/plan/partner-policies.ts';
import { buildPlan, componentNames } from '../../stacks/plan/plan.ts';
import { StageConfigError, stageConfig } from '../../stacks/stage-config.ts';
import { topology } from '../../topology/topology.ts';
import { TEST_ONCALL, TEST_PARTNER_PRINCIPALS, TEST_PRODUCTION_ENV } from './harness/sst-mocks.ts';

/** The pure plan (no Pulumi): partners' principals from the stage's environment, delivery roles and their policies. */

const ACME = { principals: ['arn:aws:iam::111122223333:role/sftp/uploader'], externalId: 'acme-7f3a9c' };
const principalsEnv = (entries: unknown) => ({ FINLEDGER_PARTNER_PRINCIPALS: JSON.stringify(entries) });
const TARGETS = {
  bucketArn: 'arn:aws:s3:::finledger-production-landing',
  keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/landing',
  region: 'eu-west-1',
  dnsSuffix: 'amazonaws.com',
};

interface PolicyStatement {
  Sid: string;
  Action: string | string[];
  Resource: string;
  Principal?: { AWS: string[] };
  Condition?: Record<string, Record<string, string>>;
}

const statementsOf = (document: { Statement: readonly Record<string, unknown>[] }) =>
  document.Statement as unknown as PolicyStatement[];
const actionsOf = (statement: PolicyStatement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Whether an IAM resource pattern (`*` any characters, `?` one) covers an ARN. */
function covers(pattern: string, arn: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(arn);
}

describe('partner principals (FINLEDGER_PARTNER_PRINCIPALS)', () => {
  it('reads each partner entry into the stage config', () => {
    const config = stageConfig('staging', principalsEnv({ 'acme-bank': ACME }));

    expect(config.partnerAccess).toEqual({ 'acme-bank': ACME });
  });

  it.each(['dev', 'staging'])('lets %s deploy without any entry, so no partner gets a role', (stage) => {
    const plan = buildPlan(topology, stageConfig(stage, {}));

    expect(plan.partnerAccess.roles).toEqual([]);
    expect(plan.partnerAccess.withoutRole).toEqual(partners.map((partner) => partner.id));
  });

  it.each([
    ['no variable at all', {}, partners.map((partner) => partner.id)],
    [
      'an entry for acme-bank only',
      principalsEnv({ 'acme-bank': ACME }),
      partners.filter((partner) => partner.id !== 'acme-bank').map((partner) => partner.id),
    ],
  ])('refuses production with %s, naming the missing partners and the variable', (_case, env, missing) => {
    const deploy = () => stageConfig('production', { ...TEST_ONCALL, ...env });

    expect(deploy).toThrow(StageConfigError);
    expect(deploy).toThrow(
      new RegExp(`FINLEDGER_PARTNER_PRINCIPALS has no entry for partners? ${missing.join(', ')}\\.`),
    );
  });

  it('refuses a partner id that config/partners.ts does not know, naming it and the known ones', () => {
    const deploy = () => stageConfig('dev', principalsEnv({ 'acme-bank': ACME, 'wayne-fin': ACME }));

    expect(deploy).toThrow(StageConfigError);
    expect(deploy).toThrow(
      /FINLEDGER_PARTNER_PRINCIPALS is not valid: partner wayne-fin is not in config\/partners\.ts \(known: acme-bank, globex-pay, initech-acq\)/,
    );
  });

  it.each([
    [
      'a bare account id',
      { ...ACME, principals: ['111122223333'] },
      /partner acme-bank: principals\[0\] must be/,
    ],
    ['a wildcard principal', { ...ACME, principals: ['*'] }, /partner acme-bank: principals\[0\] must be/],
    [
      'an IAM user',
      { ...ACME, principals: ['arn:aws:iam::111122223333:user/alice'] },
      /partner acme-bank: principals\[0\] must be/,
    ],
    ['no principal', { ...ACME, principals: [] }, /partner acme-bank: principals must name at least one/],
    ['a one-character external id', { ...ACME, externalId: 'x' }, /partner acme-bank: externalId must be/],
    ['an external id with a space', { ...ACME, externalId: 'acme bank' }, /partner acme-bank: externalId/],
    ['no external id', { principals: ACME.principals }, /partner acme-bank: externalId/],
    ['a misspelt field', { ...ACME, principal: ACME.principals }, /partner acme-bank: .*principal/],
  ])('refuses an entry with %s, naming the partner and the field', (_case, entry, message) => {
    const deploy = () => stageConfig('dev', principalsEnv({ 'acme-bank': entry }));

    expect(deploy).toThrow(StageConfigError);
    expect(deploy).toThrow(/^FINLEDGER_PARTNER_PRINCIPALS is not valid: /);
    expect(deploy).toThrow(message);
  });

  it.each([
    ['not JSON', '{acme-bank:', /is not valid: it is not JSON/],
    ['a list', '[]', /is not valid: the value: .*expected record/],
  ])('refuses a value that is %s, showing the expected shape', (_case, raw, message) => {
    const deploy = () => stageConfig('dev', { FINLEDGER_PARTNER_PRINCIPALS: raw });

    expect(deploy).toThrow(message);
    expect(deploy).toThrow(/It holds JSON like \{"<partner-id>":\{"principals":\[/);
  });

  it('refuses one external id shared by two partners', () => {
    const deploy = () => stageConfig('dev', principalsEnv({ 'acme-bank': ACME, 'globex-pay': ACME }));

    expect(deploy).toThrow(/partners acme-bank, globex-pay share one externalId; give each partner its own/);
  });
});

describe('delivery roles', () => {
  const production = buildPlan(topology, stageConfig('production', TEST_PRODUCTION_ENV));

  it('plans one role per partner with principals, writing under its own landing prefix for at most an hour', () => {
    expect(production.partnerAccess.withoutRole).toEqual([]);
    expect(production.partnerAccess.roles).toEqual(
      partners.map((partner) =>
        expect.objectContaining({
          name: names.partnerRole(partner.id),
          partner: partner.id,
          output: `partnerRole_${partner.id}`,
          principals: TEST_PARTNER_PRINCIPALS[partner.id]?.principals,
          externalId: TEST_PARTNER_PRINCIPALS[partner.id]?.externalId,
          bucket: 'landing',
          key: names.bucketKey('landing'),
          prefix: `inbound/${partner.id}/`,
          maxSessionSeconds: 3600,
        }),
      ),
    );
    expect(componentNames(production)).toEqual(expect.arrayContaining(['PartnerAcmeBankDeliveryRole']));
  });

  it('plans roles only for the partners configured on the stage and lists the rest', () => {
    const plan = buildPlan(topology, stageConfig('dev', principalsEnv({ 'globex-pay': ACME })));

    expect(plan.partnerAccess.roles.map((role) => role.partner)).toEqual(['globex-pay']);
    expect(plan.partnerAccess.withoutRole).toEqual(['acme-bank', 'initech-acq']);
  });

  it.each(['acme*', 'acme/bank', 'Acme-Bank', 'acme--bank'])(
    'refuses partner id %s, which would widen or break its prefix',
    (id) => {
      const registry = partners.map((partner, index) => (index === 0 ? { ...partner, id } : partner));

      expect(() => planPartnerAccess(registry, topology, stageConfig('dev', {}))).toThrow(PartnerAccessError);
      expect(() => planPartnerAccess(registry, topology, stageConfig('dev', {}))).toThrow(
        /config\/partners\.ts is not lower-case kebab/,
      );
    },
  );

  it('refuses a topology whose landing bucket no longer declares inbound/', () => {
    const buckets = topology.buckets.map((bucket) =>
      bucket.name === 'landing' ? { ...bucket, prefixes: ['drop/'] } : bucket,
    );

    expect(() => planPartnerAccess(partners, { ...topology, buckets }, stageConfig('dev', {}))).toThrow(
      /deliver into bucket landing under inbound\//,
    );
  });
});

describe('delivery policies', () => {
  const [acme] = buildPlan(topology, stageConfig('staging', principalsEnv({ 'acme-bank': ACME })))
    .partnerAccess.roles;
  if (!acme) throw new Error('no acme-bank role planned');
  const delivery = statementsOf(partnerDeliveryPolicy(acme, TARGETS));

  it("trusts only the partner's principals, and only with its external id", () => {
    expect(statementsOf(partnerTrustPolicy(acme))).toEqual([
      {
        Sid: 'PartnerAssumesWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: ACME.principals },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': ACME.externalId } },
      },
    ]);
  });

  it('puts (single and multipart) and lists under inbound/acme-bank/ only, with the landing key through S3', () => {
    expect(delivery.map((statement) => [actionsOf(statement), statement.Resource])).toEqual([
      [
        ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        `${TARGETS.bucketArn}/inbound/acme-bank/*`,
      ],
      [['s3:ListBucket'], TARGETS.bucketArn],
      [['kms:GenerateDataKey', 'kms:Decrypt'], TARGETS.keyArn],
    ]);
    expect(delivery[1]?.Condition).toEqual({ StringLike: { 's3:prefix': 'inbound/acme-bank/*' } });
    expect(delivery[2]?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
    });
  });

  it('refuses uploads that ask for an encryption other than the landing key', () => {
    expect(delivery[0]?.Condition).toEqual({
      StringEqualsIfExists: {
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': TARGETS.keyArn,
      },
    });
  });

  it.each([
    ['another partner', 'inbound/globex-pay/transactions/2026-11-19/tx.csv'],
    ['a partner whose id extends acme-bank', 'inbound/acme-bank-eu/transactions/2026-11-19/tx.csv'],
    ['the bare inbound/ prefix', 'inbound/tx.csv'],
    ['another top-level prefix', 'restricted/inbound/acme-bank/tx.csv'],
  ])('grants nothing on a key of %s', (_case, key) => {
    const resources = delivery.map((statement) => statement.Resource);

    expect(resources.some((resource) => covers(resource, `${TARGETS.bucketArn}/${key}`))).toBe(false);
    expect(
      covers(delivery[0]?.Resource ?? '', `${TARGETS.bucketArn}/inbound/acme-bank/transactions/d/tx.csv`),
    ).toBe(true);
  });

  it('never reads, deletes or uses a wildcard action', () => {
    const actions = delivery.flatMap(actionsOf);

    expect(actions.filter((action) => /Get|Delete|\*/.test(action))).toEqual([]);
    expect(delivery.map((statement) => statement.Resource)).not.toContain('*');
  });
});
