import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetCatalog } from './datasets/catalog.ts';
import { eventCatalog } from './events/catalog.ts';
import { registryFiles } from './registry.ts';
import { staleRegistryFiles } from './registry-files.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('contracts registry', () => {
  it('matches the committed files (run `npm run contracts` after changing a contract)', async () => {
    const stale = await staleRegistryFiles(root);

    expect(stale, `stale registry files: ${stale.join(', ')}`).toEqual([]);
  });

  it('holds one JSON Schema per dataset contract version, naming its columns', () => {
    const schemas = registryFiles().filter((file) => file.path.startsWith('contracts/datasets/'));

    expect(schemas.map((file) => file.path)).toEqual(
      datasetCatalog
        .map((dataset) => `contracts/datasets/${dataset.name}/v${dataset.version}.schema.json`)
        .sort(),
    );
    for (const file of schemas) {
      const schema = JSON.parse(file.content) as { type?: string; 'x-finledger'?: { columns?: string[] } };
      expect(schema.type).toBe('object');
      expect(schema['x-finledger']?.columns?.length).toBeGreaterThan(3);
    }
  });

  it('holds one JSON Schema per event version', () => {
    const schemas = registryFiles().filter(
      (file) => file.path.startsWith('events/') && file.path.endsWith('.schema.json'),
    );

    expect(schemas.map((file) => file.path)).toEqual(
      eventCatalog.map((event) => `events/${event.type}/v${event.version}.schema.json`).sort(),
    );
    for (const file of schemas) {
      const schema = JSON.parse(file.content) as { type?: string; required?: string[] };
      expect(schema.type).toBe('object');
      expect(schema.required).toEqual(
        expect.arrayContaining(['eventId', 'type', 'version', 'data', 'runId', 'correlationId']),
      );
    }
  });
});
