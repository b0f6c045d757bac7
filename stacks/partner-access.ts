import type { Keys } from './keys.ts';
import { lookup } from './lookup.ts';
import { PARTNER_PRINCIPALS_VARIABLE } from './partner-principals.ts';
import { names } from './plan/names.ts';
import type { PartnerAccessPlan } from './plan/partner-access.ts';
import { partnerDeliveryPolicy, partnerTrustPolicy } from './plan/partner-policies.ts';
import type { Buckets } from './storage.ts';

/**
 * Partners' delivery roles, one per partner with principals on this stage, with the policies of
 * stacks/plan/partner-policies.ts. Returns the stage outputs: each role's ARN (`partnerRole_<id>`, to hand to the
 * partner), and the partners left without a role on this stage.
 */
export function createPartnerAccess(
  plan: PartnerAccessPlan,
  deps: { readonly buckets: Buckets; readonly keys: Keys },
): Record<string, $util.Input<string>> {
  const region = aws.getRegionOutput({});
  const partition = aws.getPartitionOutput({});
  const outputs: Record<string, $util.Input<string>> = {};
  for (const role of plan.roles) {
    const targets = $resolve({
      bucketArn: deps.buckets[role.bucket].arn,
      keyArn: lookup(deps.keys, role.key, 'KMS key').arn,
      region: region.region,
      dnsSuffix: partition.dnsSuffix,
    });
    const created = new aws.iam.Role(role.name, {
      description: role.description,
      assumeRolePolicy: JSON.stringify(partnerTrustPolicy(role)),
      maxSessionDuration: role.maxSessionSeconds,
      // Exclusive: an inline policy added by hand is removed on the next deploy.
      inlinePolicies: [
        {
          name: 'deliver-files',
          policy: targets.apply((resolved) => JSON.stringify(partnerDeliveryPolicy(role, resolved))),
        },
      ],
    });
    outputs[role.output] = created.arn;
  }
  if (plan.withoutRole.length > 0)
    outputs[names.partnersWithoutRoleOutput()] =
      `${plan.withoutRole.join(', ')}: no entry in ${PARTNER_PRINCIPALS_VARIABLE} on this stage, so no delivery role (stacks/README.md)`;
  return outputs;
}
