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

  it('reads the key and rate, with default limits', () => {
    // Prepare
    Object.assign(process.env, linked);

    // Act
    const config = configFromEnv({
      FINLEDGER_PAN_HMAC_KEY: 'k'.repeat(32),
      FINLEDGER_QUARANTINE_REJECT_RATE: '0.05',
    });

    // Assess
    expect(config).toMatchObject({
      buckets: { silver: 'silver-b', quarantine: 'quarantine-b' },
      quarantineRejectRate: 0.05,
      partRows: 100_000,
    });
  });

  it.each([
    ['a missing key', {}, /FINLEDGER_PAN_HMAC_KEY is not set/],
    ['a short key', { FINLEDGER_PAN_HMAC_KEY: 'short' }, /at least 16 bytes/],
    [
      'a rate above 1',
      { FINLEDGER_PAN_HMAC_KEY: 'k'.repeat(32), FINLEDGER_QUARANTINE_REJECT_RATE: '20' },
      /between 0 and 1/,
    ],
    [
      'a rate that is not a number',
      { FINLEDGER_PAN_HMAC_KEY: 'k'.repeat(32), FINLEDGER_QUARANTINE_REJECT_RATE: 'x' },
      /not a number/,
    ],
  ])('fails fast on %s', (_name, env, message) => {
    // Act / Assess
    expect(() => configFromEnv(env)).toThrow(message);
  });
});
