import { describe, expect, it } from 'vitest';
import { DatasetBlockedPayloadSchema } from '../../contracts/events/dataset-blocked.ts';
import { DatasetReadyPayloadSchema } from '../../contracts/events/dataset-ready.ts';
import { evaluateGates, planPublication } from './ready-publisher.ts';
import {
  AFTER_CUTOFFS,
  at,
  DATE,
  factsWith,
  frozen,
  readyFacts,
  reconciliationOf,
  txRow,
  without,
} from './test-support/facts.ts';
import { buildGoldPartitionInMemory } from './test-support/in-memory-gold.ts';

const PARTNERS = ['acme-bank', 'globex-pay'];
const CREATED_AT = new Date('2026-11-21T12:00:05Z');

/** Two curated rows per partner: EUR 10.00 + 20.00 for acme-bank, USD 5.00 + 7.00 for globex-pay. */
const rows = [
  txRow('tx-1', { amount: 1000n }),
  txRow('tx-2', { amount: 2000n, row: 3 }),
  txRow('tx-1', { partner: 'globex-pay', amount: 500n, currency: 'USD' }),
  txRow('tx-2', { partner: 'globex-pay', amount: 700n, currency: 'USD', row: 3 }),
];
const reconciliations = [
  reconciliationOf('acme-bank', { curated: { rows: 2, sums: { EUR: '3000' } } }),
  reconciliationOf('globex-pay', { curated: { rows: 2, sums: { USD: '1200', EUR: '0' } } }),
];
/** A Saturday: only the every-day partners are expected. */
const SATURDAY = '2026-11-21';
const facts = factsWith({ reconciliations }, readyFacts(PARTNERS));

function plan(runId: string, change: { facts?: typeof facts; rows?: typeof rows } = {}) {
  const evaluation = evaluateGates({
    dataset: 'transactions',
    businessDate: SATURDAY,
    now: new Date('2026-11-22T12:00:00Z'),
    facts: change.facts ?? facts,
  });
  const satRows = (change.rows ?? rows).map((row) => ({
    ...row,
    business_date: (row.business_date as number) + 1,
  }));
  const partition = buildGoldPartitionInMemory(frozen(satRows), {
    dataset: 'transactions',
    businessDate: SATURDAY,
    runId,
    schemaV: 1,
  });
  return planPublication(
    frozen({
      evaluation,
      runId,
      schemaV: 1,
      bucket: 'gold-bucket',
      createdAt: CREATED_AT,
      partition,
      reconciliations: (change.facts ?? facts).reconciliations,
    }),
  );
}

describe('planPublication', () => {
  it('publishes parts then the ready marker under the run id, with a DatasetReady payload', () => {
    // Act
    const result = plan('run_pub_1');

    // Assess
    if (result.kind !== 'ready') throw new Error(`blocked: ${JSON.stringify(result.payload)}`);
    expect(DatasetReadyPayloadSchema.safeParse(result.payload).error).toBeUndefined();
    const prefix = 'gold/dataset=transactions/dt=2026-11-21/run_id=run_pub_1/';
    expect(result.objects.map((object) => [object.key, object.contentType])).toEqual([
      [`${prefix}part-00000.parquet`, 'application/vnd.apache.parquet'],
      [`${prefix}_READY.json`, 'application/json'],
    ]);
    expect(result.payload).toMatchObject({
      dataset: 'transactions',
      businessDate: SATURDAY,
      runId: 'run_pub_1',
      gold: { bucket: 'gold-bucket', prefix, parts: [`${prefix}part-00000.parquet`] },
      marker: { bucket: 'gold-bucket', key: `${prefix}_READY.json` },
      rowCount: 4,
      sums: { EUR: '3000', USD: '1200' },
    });
    expect(result.payload.gates.map((gate) => gate.name)).toContain('gold-matches-reconciliation:globex-pay');
  });

  it('writes a marker naming the run, the content hash, each part hash and every gate', async () => {
    // Act
    const result = plan('run_pub_1');

    // Assess
    if (result.kind !== 'ready') throw new Error('blocked');
    const marker = JSON.parse(new TextDecoder().decode(await at(result.objects, -1).read()));
    expect(marker).toMatchObject({
      dataset: 'transactions',
      businessDate: SATURDAY,
      schemaV: 1,
      runId: 'run_pub_1',
      contentHash: result.payload.contentHash,
      contentHashFormat: 'finledger-gold-content/v2',
      rowCount: 4,
      sums: { EUR: '3000', USD: '1200' },
      createdAt: '2026-11-21T12:00:05.000Z',
    });
    expect(marker.parts).toEqual([
      expect.objectContaining({
        key: at(result.objects, 0).key,
        rowCount: 4,
        sizeBytes: (await at(result.objects, 0).read()).byteLength,
      }),
    ]);
    expect(marker.parts[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(marker.gates.every((gate: { passed: boolean }) => gate.passed)).toBe(true);
  });

  it('reruns beside the earlier run: new keys, identical content hash and part bytes', async () => {
    // Act
    const first = plan('run_pub_1');
    const rerun = plan('run_pub_2', { rows: rows.map((row) => ({ ...row, _run_id: 'run_validate_2' })) });

    // Assess
    if (first.kind !== 'ready' || rerun.kind !== 'ready') throw new Error('blocked');
    const firstKeys = first.objects.map((object) => object.key);
    expect(rerun.objects.some((object) => firstKeys.includes(object.key))).toBe(false);
    expect(rerun.payload.contentHash).toBe(first.payload.contentHash);
    expect(Buffer.from(await at(rerun.objects, 0).read())).toEqual(
      Buffer.from(await at(first.objects, 0).read()),
    );
  });

  it('blocks without writing anything when a gate fails, listing failed and passed gates', () => {
    // Act
    const result = plan('run_pub_1', {
      facts: factsWith({ reconciliations: without(reconciliations, 'acme-bank') }, facts),
    });

    // Assess
    expect(result.kind).toBe('blocked');
    expect('objects' in result).toBe(false);
    expect(DatasetBlockedPayloadSchema.safeParse(result.payload).error).toBeUndefined();
    if (result.kind !== 'blocked') return;
    expect(result.payload.failedGates).toEqual([
      {
        name: 'reconciliation:acme-bank',
        detail: 'No reconciliation yet for acme-bank.',
        observed: null,
        threshold: 'balanced, covering every landed file',
      },
    ]);
    expect(result.payload.passedGates.length).toBeGreaterThan(5);
  });

  it('blocks when gold does not hold what reconciliation found curated', () => {
    // Act: a row of acme-bank is missing from what the handler read.
    const result = plan('run_pub_1', { rows: rows.slice(1) });

    // Assess
    if (result.kind !== 'blocked') throw new Error('published');
    expect(result.payload.failedGates).toEqual([
      {
        name: 'gold-matches-reconciliation:acme-bank',
        detail:
          'Gold holds 1 rows, {"EUR":"2000"} of acme-bank; reconciliation found 2 rows, {"EUR":"3000"} curated. Nothing was published; check which unique parts were read.',
        observed: '1 rows, {"EUR":"2000"}',
        threshold: '2 rows, {"EUR":"3000"}',
      },
    ]);
  });

  it('blocks every gate of an expected partner that sent nothing', () => {
    // Act
    const evaluation = evaluateGates({
      dataset: 'transactions',
      businessDate: DATE,
      now: AFTER_CUTOFFS,
      facts,
    });

    // Assess: initech-acq is expected on Fridays and sent nothing.
    expect(evaluation.ready).toBe(false);
    expect(evaluation.gates.filter((gate) => !gate.passed).map((gate) => gate.name)).toEqual([
      'file-on-time:initech-acq',
      'quarantine-rate:initech-acq',
      'open-conflicts:initech-acq',
      'reconciliation:initech-acq',
      'matching-rate:initech-acq',
    ]);
  });
});
