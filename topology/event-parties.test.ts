import { describe, expect, it } from 'vitest';
import { eventCatalog, findEvent } from '../contracts/events/catalog.ts';
import { registryFiles } from '../contracts/registry.ts';
import { buildPlan } from '../stacks/plan/plan.ts';
import { stageConfig } from '../stacks/stage-config.ts';
import { eventParties } from './event-parties.ts';
import { topology } from './topology.ts';

describe('eventParties', () => {
  it.each([
    ['FileLanded', ['file-landing', 'rerun'], ['schema-validate']],
    ['FileRejected', ['file-landing', 'schema-validate', 'schema-validate-chunk'], ['reconcile']],
    ['FileValidated', ['schema-validate', 'schema-validate-chunk'], ['dedup']],
    ['RecordsDeduplicated', ['dedup', 'dedup-unit'], ['settlement-match', 'reconcile']],
    ['SettlementsMatched', ['settlement-match', 'settlement-match-unit'], ['ready-publisher']],
    ['ReconciliationCompleted', ['reconcile'], ['ready-publisher']],
    ['DatasetReady', ['ready-publisher', 'ready-publisher-gold-unit'], []],
    ['DatasetBlocked', ['ready-publisher', 'ready-publisher-gold-unit'], []],
  ])('names who produces and consumes %s v1 as the topology wires it', (type, producers, consumers) => {
    // Act
    const parties = eventParties(type, 1);

    // Assess
    expect(parties).toEqual({ producers, consumers });
  });

  it.each([
    ['RecordsDeduplicated', ['dedup', 'dedup-unit'], ['settlement-match', 'reconcile']],
    ['SettlementsMatched', ['settlement-match', 'settlement-match-unit'], ['ready-publisher']],
  ])('names who produces and consumes %s v2 as the topology wires it', (type, producers, consumers) => {
    // Act
    const parties = eventParties(type, 2);

    // Assess
    expect(parties).toEqual({ producers, consumers });
  });

  it('gives every catalogued event a producer', () => {
    // Act
    const orphans = eventCatalog.filter(
      (event) => eventParties(event.type, event.version).producers.length === 0,
    );

    // Assess
    expect(orphans.map((event) => `${event.type} v${event.version}`)).toEqual([]);
  });

  it('publishes and subscribes only to catalogued event versions', () => {
    // Prepare
    const named = [
      ...[...topology.services, ...topology.workers].flatMap((party) => party.publishes ?? []),
      ...topology.services.flatMap((service) =>
        service.subscriptions.flatMap((subscription) =>
          subscription.kind === 'event' ? [subscription] : [],
        ),
      ),
    ];

    // Act
    const unknown = named.filter((event) => !findEvent(event.type, event.version));

    // Assess
    expect(unknown).toEqual([]);
  });
});

describe('who produces and consumes, as reviewers read it', () => {
  it('is the topology in the generated event READMEs and in the AWS Schemas registry descriptions', () => {
    // Prepare
    const plan = buildPlan(topology, stageConfig('dev'));

    for (const event of eventCatalog) {
      const parties = eventParties(event.type, event.version);
      const readme = registryFiles().find((file) => file.path === `events/${event.type}/README.md`);
      const registered = plan.schemas.find(
        (schema) => schema.schemaName === `finledger@${event.type}-v${event.version}`,
      );

      // Assess
      expect(readme?.content).toContain(
        `**Producers** (v${event.version}, from the topology): ${parties.producers.join(', ') || '(none yet)'}\n`,
      );
      expect(readme?.content).toContain(
        `**Consumers** (v${event.version}, from the topology): ${parties.consumers.join(', ') || '(none yet)'}\n`,
      );
      expect(registered?.description).toContain(`Producers: ${parties.producers.join(', ') || 'none'}.`);
      expect(registered?.description).toContain(`Consumers: ${parties.consumers.join(', ') || 'none'}.`);
    }
  });
});
