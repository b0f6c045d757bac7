import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskingJsonReplacer, serviceLogger } from './service-logger.ts';

const PAN = '4111111111111111';

describe('serviceLogger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('masks card numbers in messages, keys, nested attributes and errors', () => {
    // Prepare
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const logger = serviceLogger('file-landing');
    logger.setLogLevel('INFO');
    logger.appendKeys({ landingKey: `inbound/acme-bank/transactions/2026-11-19/${PAN}.csv` });

    // Act
    logger.error(`could not land tx${PAN}`, {
      nested: { reason: `card ${PAN.replace(/(\d{4})/g, '$1 ').trim()}` },
      error: new Error(`object inbound/x/${PAN}.csv is missing`),
    });

    // Assess
    const output = lines.join('');
    expect(output).toContain('************1111');
    expect(output).not.toMatch(/4111 ?1111 ?1111 ?1111/);
  });
});

describe('maskingJsonReplacer', () => {
  it('masks strings and bigints, and leaves other values alone', () => {
    // Act
    const json = JSON.stringify(
      { text: `ref ${PAN}`, big: BigInt(PAN), count: 3, ok: true },
      maskingJsonReplacer,
    );

    // Assess
    expect(JSON.parse(json)).toEqual({
      text: 'ref ************1111',
      big: '************1111',
      count: 3,
      ok: true,
    });
  });
});
