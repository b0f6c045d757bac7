import type { TableName } from '../topology/types.ts';
import type { Keys } from './keys.ts';
import { lookup } from './lookup.ts';
import type { TablePlan } from './plan/storage.ts';

export type Tables = Readonly<Record<TableName, sst.aws.Dynamo>>;

/** DynamoDB tables: on-demand, point-in-time recovery, each encrypted with its own key. */
export function createTables(plans: readonly TablePlan[], keys: Keys): Tables {
  return Object.fromEntries(
    plans.map((plan) => {
      const key = lookup(keys, plan.key, 'KMS key');
      const table = new sst.aws.Dynamo(
        plan.name,
        {
          fields: plan.fields,
          primaryIndex: plan.primaryIndex,
          globalIndexes: plan.globalIndexes,
          ...(plan.ttl ? { ttl: plan.ttl } : {}),
          ...(plan.stream ? { stream: plan.stream } : {}),
          deletionProtection: plan.protect,
          transform: {
            table: (args, opts) => {
              args.billingMode = 'PAY_PER_REQUEST';
              args.pointInTimeRecovery = { enabled: plan.pointInTimeRecovery };
              args.serverSideEncryption = { enabled: true, kmsKeyArn: key.arn };
              opts.protect = plan.protect;
              opts.retainOnDelete = plan.protect;
            },
          },
        },
        { protect: plan.protect, retainOnDelete: plan.protect },
      );
      return [plan.table, table];
    }),
  ) as Record<TableName, sst.aws.Dynamo>;
}
