import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../topology/topology.ts';
import { loadServiceHandlers } from './handlers.ts';

describe('loadServiceHandlers', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'finledger-handlers-'));
    await mkdir(join(root, 'services/file-landing'), { recursive: true });
    await mkdir(join(root, 'services/schema-validate'), { recursive: true });
    // The module records the function name it saw while loading, as Powertools would.
    await writeFile(
      join(root, 'services/file-landing/handler.ts'),
      'const loadedAs = process.env.AWS_LAMBDA_FUNCTION_NAME;\nexport const handler = async () => ({ batchItemFailures: [], loadedAs });\n',
    );
    await writeFile(join(root, 'services/schema-validate/handler.ts'), 'export const notAHandler = 1;\n');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('imports each handler with the service function name set while it loads', async () => {
    // Act
    const handlers = await loadServiceHandlers(topology, 'dev', { root, services: ['file-landing'] });
    const result = await handlers['file-landing']?.({ Records: [] }, {} as never);

    // Assess
    expect(result).toMatchObject({ loadedAs: 'finledger-dev-file-landing' });
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  });

  it('names the module and the fix when a handler export is missing', async () => {
    // Act
    const attempt = loadServiceHandlers(topology, 'dev', { root, services: ['schema-validate'] });

    // Assess
    await expect(attempt).rejects.toThrow(
      /schema-validate\/handler\.ts does not export a `handler` function/,
    );
  });
});
