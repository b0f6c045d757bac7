import { afterEach, describe, expect, it } from 'vitest';
import { PARTS_LISTED_INLINE_MAX } from '../../config/limits.ts';
import { configFromEnv } from './side-effects.ts';

const linked = { SST_RESOURCE_SilverBucket: JSON.stringify({ name: 'silver-b' }) };

describe('configFromEnv', () => {
  afterEach(() => {
    for (const name of Object.keys(linked)) delete process.env[name];
  });

  it.each([
    ['the default result list limit', {}, PARTS_LISTED_INLINE_MAX],
    ['a result list limit lowered for tests', { FINLEDGER_MATCH_PARTS_LISTED_INLINE_MAX: '0' }, 0],
  ])('reads the silver bucket and %s', (_name, env, listed) => {
    // Prepare
    Object.assign(process.env, linked);

    // Act
    const config = configFromEnv(env);

    // Assess
    expect(config).toMatchObject({ silverBucket: 'silver-b', partsListedInlineMax: listed });
  });
});
