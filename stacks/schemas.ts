import { names } from './plan/names.ts';
import type { SchemaPlan } from './plan/schemas.ts';

/** The EventBridge Schemas registry of the stage, one schema per event version of the catalog. */
export function createSchemas(plans: readonly SchemaPlan[]): aws.schemas.Registry {
  const registry = new aws.schemas.Registry(names.schemaRegistry(), {
    name: `${$app.name}-${$app.stage}`,
    description: 'finledger event contracts, generated from contracts/events/catalog.ts',
  });
  for (const plan of plans) {
    new aws.schemas.Schema(plan.name, {
      registryName: registry.name,
      name: plan.schemaName,
      type: plan.type,
      description: plan.description,
      content: plan.content,
    });
  }
  return registry;
}
