import { keyPolicy } from './plan/policies.ts';
import type { KeyPlan } from './plan/storage.ts';
import type { StageConfig } from './stage-config.ts';

export type Keys = Readonly<Record<string, aws.kms.Key>>;

/** Customer-managed KMS keys with yearly rotation, each with an alias operators can find. */
export function createKeys(plans: readonly KeyPlan[], config: StageConfig): Keys {
  const identity = aws.getCallerIdentityOutput({});
  const partition = aws.getPartitionOutput({});
  return Object.fromEntries(
    plans.map((plan) => {
      const key = new aws.kms.Key(
        plan.name,
        {
          description: plan.description,
          enableKeyRotation: true,
          deletionWindowInDays: config.keyDeletionWindowDays,
          policy: $resolve<string, string>([partition.partition, identity.accountId]).apply(
            ([partitionName, accountId]) =>
              JSON.stringify(
                keyPolicy({ partition: partitionName, accountId, servicePrincipals: plan.servicePrincipals }),
              ),
          ),
        },
        { protect: plan.protect, retainOnDelete: plan.protect },
      );
      new aws.kms.Alias(`${plan.name}Alias`, {
        name: `alias/${$app.name}-${$app.stage}-${plan.name}`,
        targetKeyId: key.keyId,
      });
      return [plan.name, key];
    }),
  );
}
