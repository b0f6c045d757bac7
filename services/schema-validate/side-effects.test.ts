import { afterEach, describe, expect, it } from 'vitest';
import { SILVER_PART_ROWS } from '../../config/limits.ts';
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
    const config = configFromEnv({ FINLEDGER_QUARANTINE_REJECT_RATE: '0.05' }, () => 'k'.repeat(32));

    // Assess
    expect(config).toMatchObject({
      buckets: { silver: 'silver-b', quarantine: 'quarantine-b' },
      quarantineRejectRate: 0.05,
      partRows: SILVER_PART_ROWS,
    });
  });

  it('reads the card-fingerprint key from the linked PanHmacKey secret', () => {
    Object.assign(process.env, linked, {
      SST_RESOURCE_PanHmacKey: JSON.stringify({ value: 's'.repeat(20) }),
    });

    try {
      expect(configFromEnv({}).panHmacKey).toBe('s'.repeat(20));
    } finally {
      delete process.env.SST_RESOURCE_PanHmacKey;
    }
  });

  it.each([
    ['an unlinked key', {}, undefined, /PanHmacKey\.value is missing/],
    ['a short key', {}, 'short', /at least 16 bytes.*sst secret set PanHmacKey/],
    ['a rate above 1', { FINLEDGER_QUARANTINE_REJECT_RATE: '20' }, 'k'.repeat(32), /between 0 and 1/],
    [
      'a rate that is not a number',
      { FINLEDGER_QUARANTINE_REJECT_RATE: 'x' },
      'k'.repeat(32),
      /not a number/,
    ],
  ])('fails fast on %s', (_name, env, key, message) => {
    Object.assign(process.env, linked);

    // Act / Assess
    expect(() => (key === undefined ? configFromEnv(env) : configFromEnv(env, () => key))).toThrow(message);
  });
});
