import { topology } from './topology.ts';
import type { Topology } from './types.ts';

/** Who produces and who consumes one event version, as the topology wires it. */
export interface EventParties {
  /** Services and workers that put the event in the outbox, in topology order. */
  readonly producers: readonly string[];
  /** Services whose queue the event's bus rule feeds, in topology order. */
  readonly consumers: readonly string[];
}

/**
 * Producers and consumers of one event version, derived from the topology's `publishes` and subscriptions so the
 * registry READMEs, the AWS Schemas registry and the AsyncAPI document cannot disagree with what is deployed.
 * @example eventParties('FileLanded', 1) // { producers: ['file-landing', 'rerun'], consumers: ['schema-validate'] }
 */
export function eventParties(type: string, version: number, from: Topology = topology): EventParties {
  const names = (event: { type: string; version: number }) =>
    event.type === type && event.version === version;
  return {
    producers: [...from.services, ...from.workers]
      .filter((party) => (party.publishes ?? []).some(names))
      .map((party) => party.name),
    consumers: from.services
      .filter((service) =>
        service.subscriptions.some((subscription) => subscription.kind === 'event' && names(subscription)),
      )
      .map((service) => service.name),
  };
}
