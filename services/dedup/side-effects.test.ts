import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from './side-effects.ts';

const linked = {
  SST_RESOURCE_SilverBucket: JSON.stringify({ name: 'silver-b' }),
  SST_RESOURCE_QuarantineBucket: JSON.stringify({ name: 'quarantine-b' }),
};

describe('configFromEnv', () => {
  afterEach(() => {
    for (const name of Object.keys(linked)) delete process.env[name];
  });

  it.each([
    ['the 400-day default', {}, 400],
    ['a configured retention', { FINLEDGER_DEDUP_RETENTION_DAYS: '30' }, 30],
  ])('reads the buckets and %s', (_name, env, days) => {
    // Prepare
    Object.assign(process.env, linked);

    // Act
    const config = configFromEnv(env);

    // Assess
    expect(config).toMatchObject({
      buckets: { silver: 'silver-b', quarantine: 'quarantine-b' },
      retentionDays: days,
      compactAtSegments: 32,
    });
  });

  it.each([
    ['the default part list limit', {}, 400],
    ['a part list limit lowered for tests', { FINLEDGER_DEDUP_PARTS_LISTED_INLINE_MAX: '0' }, 0],
  ])('reads %s', (_name, env, listed) => {
    // Prepare
    Object.assign(process.env, linked);

    // Act
    const config = configFromEnv(env);

    // Assess
    expect(config.partsListedInlineMax).toBe(listed);
  });

  it.each([
    ['a retention that is not a number', 'x', /not a number/],
    ['a retention under a day', '0', /at least 1/],
    ['a fractional retention', '1.5', /whole number/],
  ])('fails fast on %s', (_name, value, message) => {
    Object.assign(process.env, linked);

    expect(() => configFromEnv({ FINLEDGER_DEDUP_RETENTION_DAYS: value })).toThrow(message);
  });
});
