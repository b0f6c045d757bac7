import { randomUUID } from 'node:crypto';
import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReconciliationCompletedV1, RecordsDeduplicatedV1 } from '../../contracts/events/catalog.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { generateSampleSet } from '../sample-data/index.ts';
import {
  archivedDetails,
  configureTestEnvironment,
  landAndSettle,
  registry,
  startTestPipeline,
} from './support.ts';

const HEADER = 'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number';
const tx = (id: string, amount: string) => `${id},payment,${amount},USD,2026-11-24T10:00:00Z,m-1,,`;
const csv = (lines: readonly string[]) => new TextEncoder().encode(`${[HEADER, ...lines].join('\n')}\n`);

/** Its trailer declares USD 99.00; the rows sum to USD 30.00, so schema-validate rejects it (TRAILER_MISMATCH). */
const WRONG_TRAILER = {
  landingKey: 'inbound/globex-pay/transactions/2026-11-24/declared-wrong.csv',
  bytes: csv([tx('rc-t1', '10.00'), tx('rc-t2', '20.00'), 'TRAILER,2,USD=99.00']),
};
/** Clean: four unique rows, USD 100.00; the scope whose dedup facts the test tampers with. */
const TAMPERED = {
  landingKey: 'inbound/globex-pay/transactions/2026-11-25/lossy.csv',
  bytes: csv([tx('rc-1', '10.00'), tx('rc-2', '20.00'), tx('rc-3', '30.00'), tx('rc-4', '40.00')]),
};

type Recon = EventDetail<typeof ReconciliationCompletedV1>;
type Deduplicated = EventDetail<typeof RecordsDeduplicatedV1>;

const scopeOf = (data: { dataset: string; partner: string; businessDate: string }) =>
  `${data.dataset}#${data.partner}#${data.businessDate}`;

describe('reconcile on the offline runtime', () => {
  let runtime: Runtime;
  const sample = generateSampleSet({ seed: 11, dates: ['2026-11-19', '2026-11-20'], rowsPerFile: 30 });

  const recons = () => archivedDetails(runtime, ReconciliationCompletedV1);
  /** The last reconciliation of a scope published. */
  const latest = async (scope: string) =>
    (await recons())
      .map((recon) => recon.data)
      .filter((recon) => scopeOf(recon) === scope)
      .at(-1);
  const reconItems = async () => {
    const result = await runtime.clients.dynamodb.send(
      new ScanCommand({ TableName: runtime.resources.tables.files!.name, ConsistentRead: true }),
    );
    return (result.Items ?? [])
      .map((item) => unmarshall(item))
      .filter((item) => String(item.pk).startsWith('RECON#'));
  };
  const put = async (detail: Deduplicated) => {
    const succeeded = runtime.pollers.reconcile!.stats().succeeded;
    const result = await runtime.bus.putEvents([
      {
        EventBusName: runtime.bus.name,
        Source: 'finledger.dedup',
        DetailType: RecordsDeduplicatedV1.type,
        Detail: JSON.stringify(detail),
      },
    ]);
    expect(result.FailedEntryCount).toBe(0);
    const deadline = Date.now() + 10_000;
    while (runtime.pollers.reconcile!.stats().succeeded <= succeeded && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.waitForIdle();
  };

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(runtime, [...sample, WRONG_TRAILER, TAMPERED]);
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('reconciles every dataset, partner and date, and balances the ones whose files all went through', async () => {
    // Act
    const files = await registry(runtime).listAll();

    // Assess
    const scopes = new Set(sample.map(scopeOf));
    for (const scope of scopes) {
      const recon = await latest(scope);
      expect(recon, scope).toBeDefined();
      const scopeFiles = files.filter((file) => scopeOf(file) === scope);
      expect(recon!.inputs.files.map((file) => file.fileId).sort()).toEqual(
        scopeFiles.map((file) => file.fileId).sort(),
      );
      if (scopeFiles.every((file) => file.stage === 'VALIDATED'))
        expect(recon, scope).toMatchObject({ balanced: true, breaks: [] });
    }
    expect(runtime.pollers.reconcile!.stats().failed).toBe(0);
  });

  it('reports a file whose trailer declares other totals as a break', async () => {
    const recon = await latest('transactions#globex-pay#2026-11-24');

    expect(recon?.balanced).toBe(false);
    expect(recon?.breaks).toEqual([
      expect.objectContaining({ kind: 'FILE_REJECTED', expected: '2', actual: '0', differenceRows: -2 }),
    ]);
    expect(recon?.breaks[0]?.cause).toContain('TRAILER_MISMATCH');
  });

  it('reports a row lost between validation and dedup, with its amount', async () => {
    // Prepare: the clean scope balances first.
    const scope = 'transactions#globex-pay#2026-11-25';
    expect(await latest(scope)).toMatchObject({ balanced: true });
    const original = (await archivedDetails(runtime, RecordsDeduplicatedV1)).find(
      (event) => scopeOf(event.data) === scope,
    )!;
    // Rewrite the committed dedup facts as a dedup that took in one row fewer (rc-4, USD 40.00) would have
    // committed them, with the event it would have published: the item and the event agree, as in a real commit.
    const lossy: Deduplicated = {
      ...original,
      eventId: randomUUID(),
      data: {
        ...original.data,
        counts: { valid: 3, unique: 3, duplicates: 0, conflicts: 0 },
        totals: { ...original.data.totals, unique: { rowCount: 3, sums: { USD: '6000' } } },
      },
    };
    await runtime.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: runtime.resources.tables.files!.name,
        Key: marshall({ pk: `FILE#${original.data.fileId}`, sk: `DEDUP#${original.runId}` }),
        UpdateExpression: 'SET #counts = :counts, totals = :totals, eventId = :eventId',
        ExpressionAttributeNames: { '#counts': 'counts' },
        ExpressionAttributeValues: marshall({
          ':counts': lossy.data.counts,
          ':totals': lossy.data.totals,
          ':eventId': lossy.eventId,
        }),
      }),
    );

    // Act
    await put(lossy);

    // Assess
    const recon = await latest(scope);
    expect(recon?.balanced).toBe(false);
    expect(recon?.breaks).toEqual([
      expect.objectContaining({
        kind: 'ROWS_LOST_BETWEEN_STAGES',
        check: 'rows dedup took in = valid rows',
        expected: '4',
        actual: '3',
        differenceRows: -1,
      }),
      expect.objectContaining({
        kind: 'VALID_VS_CURATED_AMOUNT',
        currency: 'USD',
        expected: '10000',
        actual: '6000',
        differenceMinor: '-4000',
      }),
    ]);
  });

  it('absorbs replays: one ReconciliationCompleted per set of facts', async () => {
    // Prepare
    const event = (await archivedDetails(runtime, RecordsDeduplicatedV1)).find(
      (detail) => detail.data.partner !== 'globex-pay' || detail.data.businessDate < '2026-11-24',
    )!;
    const before = { events: (await recons()).length, items: (await reconItems()).length };

    // Act: the same event three times (idempotency answers), then as a new trigger over the same facts (the
    // RUN#<reconRunId> condition answers).
    for (let copy = 0; copy < 3; copy += 1) await put(event);
    await put({ ...event, eventId: randomUUID() });

    // Assess
    expect((await recons()).length).toBe(before.events);
    expect((await reconItems()).length).toBe(before.items);
    const ids = (await recons()).map((recon: Recon) => `${scopeOf(recon.data)}:${recon.data.reconRunId}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(runtime.pollers.reconcile!.stats().failed).toBe(0);
  });
});
