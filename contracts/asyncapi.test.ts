import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { topology } from '../topology/topology.ts';
import { asyncApiDocument } from './asyncapi.ts';

describe('asyncApiDocument', () => {
  it('is a valid AsyncAPI 3 document', async () => {
    // Act
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));

    // Assess: no error-severity diagnostic (0), and the parser built the model.
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0)).toEqual([]);
    expect(document?.channels().length).toBeGreaterThan(0);
  });

  it("lists exactly the topology's subscriptions as receive operations and its publishes as send operations", () => {
    // Prepare
    const receives = topology.services.flatMap((service) =>
      service.subscriptions.map((subscription) =>
        subscription.kind === 'event'
          ? `${service.name}.receive.${subscription.type}.v${subscription.version}`
          : `${service.name}.receive.${subscription.source}.${subscription.detailType.replaceAll(' ', '')}.${subscription.bucket}`,
      ),
    );
    const sends = [...topology.services, ...topology.workers].flatMap((party) =>
      (party.publishes ?? []).map((event) => `${party.name}.send.${event.type}.v${event.version}`),
    );

    // Act
    const operations = Object.keys(asyncApiDocument().operations);

    // Assess
    expect(operations.filter((name) => name.includes('.receive.')).sort()).toEqual(receives.sort());
    expect(operations.filter((name) => name.includes('.send.')).sort()).toEqual(sends.sort());
  });
});
