import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLandedV1, RecordsDeduplicatedV1, SettlementsMatchedV1 } from '../../contracts/events/catalog.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import {
  archivedDetails,
  archivedEvents,
  configureTestEnvironment,
  landAndSettle,
  listKeys,
  type MatchRecord,
  matchRecordsOf,
  startTestPipeline,
} from './support.ts';

// acme-bank: trailer required, EUR, 1:N instalments allowed, no tolerance, net fees, wait 2 days, window 7.
const TX_HEADER =
  'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number';
const ST_HEADER = 'settlement_id,transaction_reference,amount,fee,currency,settled_at,payout_batch_id';
const DAY1 = '2026-11-19';
const DAY2 = '2026-11-20';

const tx = (id: string, amount: string, type = 'payment') =>
  `${id},${type},${amount},EUR,${DAY1}T10:00:00+01:00,m-1,,`;
const st = (id: string, reference: string, amount: string, fee: string, date = DAY1) =>
  `${id},${reference},${amount},${fee},EUR,${date}T18:00:00+01:00,`;

/** A CSV with its control-total trailer (the sum of `amount`, column `amountAt`). */
function csv(header: string, lines: readonly string[], amountAt: number): Uint8Array {
  const cents = lines.reduce((sum, line) => sum + Math.round(Number(line.split(',')[amountAt]) * 100), 0);
  const trailer = `TRAILER,${lines.length},EUR=${(cents / 100).toFixed(2)}`;
  return new TextEncoder().encode(`${[header, ...lines, trailer].join('\n')}\n`);
}

const files = {
  transactions: {
    landingKey: `inbound/acme-bank/transactions/${DAY1}/tx.csv`,
    bytes: csv(
      TX_HEADER,
      [
        tx('a-1', '100.00'), // 1:1 match
        tx('a-2', '50.00'), // two instalments: 1:N match
        tx('a-3', '20.00'), // settled 25.00 + 1.00: AMOUNT mismatch
        tx('a-4', '30.00'), // settlement missing on day 1, arrives late on day 2
        tx('a-5', '-10.00', 'refund'), // not a settling type
        tx('a-6', '40.00'), // half settled: partially settled
      ],
      2,
    ),
  },
  settlements: {
    landingKey: `inbound/acme-bank/settlements/${DAY1}/st.csv`,
    bytes: csv(
      ST_HEADER,
      [
        st('s-1', 'a-1', '98.00', '2.00'),
        st('s-2a', 'a-2', '24.50', '0.50'),
        st('s-2b', 'a-2', '24.50', '0.50'),
        st('s-3', 'a-3', '25.00', '1.00'),
        st('s-6', 'a-6', '19.00', '1.00'),
      ],
      2,
    ),
  },
  late: {
    landingKey: `inbound/acme-bank/settlements/${DAY2}/late.csv`,
    bytes: csv(ST_HEADER, [st('s-4', 'a-4', '29.40', '0.60', DAY2)], 2),
  },
} as const;

const idsOf = (rows: readonly { id: string }[] | undefined) => (rows ?? []).map((row) => row.id);
const outcomeLines = (records: readonly MatchRecord[]) =>
  records.map((record) =>
    record.outcome === 'unmatched'
      ? `unmatched ${record.transaction?.id} ${record.reason}`
      : `${record.outcome}${record.cause ? ` ${record.cause}` : ''} ${idsOf(record.transactions).join('+')} <- ${idsOf(record.settlements).join('+')}`,
  );

async function scanTable(runtime: Runtime, logical: string): Promise<Record<string, unknown>[]> {
  const result = await runtime.clients.dynamodb.send(
    new ScanCommand({ TableName: runtime.resources.tables[logical]!.name, ConsistentRead: true }),
  );
  return (result.Items ?? []).map((item) => unmarshall(item));
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('settlement-match on the offline runtime', () => {
  let runtime: Runtime;
  const fileIdOf: Record<string, string> = {};

  const land = async (name: keyof typeof files) => {
    await landAndSettle(runtime, [files[name]]);
    await runtime.waitForIdle();
    const landed = (await archivedDetails(runtime, FileLandedV1)).find(
      (event) => event.data.landing.key === files[name].landingKey,
    );
    fileIdOf[name] = landed!.data.fileId;
  };
  const matchedAsOf = async (date: string) =>
    (await archivedDetails(runtime, SettlementsMatchedV1)).filter(
      (event) => event.data.businessDate === date,
    );

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await land('transactions');
    await land('settlements');
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('matches a day 1:1, 1:N, partially, with a mismatch and a missing settlement, refunds left out', async () => {
    // Act
    const runs = await matchedAsOf(DAY1);
    const latest = runs.find((event) => event.data.inputs.length === 2)!;
    const records = await matchRecordsOf(runtime, latest);

    // Assess: one snapshot per trigger, each its own inputs; the later one read both files.
    expect(runs).toHaveLength(2);
    expect(latest.producer).toBe('settlement-match');
    expect(latest.correlationId).toBe(`acme-bank:${DAY1}`);
    expect(latest.data.inputs.map((input) => input.fileId).sort()).toEqual(
      [fileIdOf.transactions, fileIdOf.settlements].sort(),
    );
    expect(latest.data.counts).toEqual({
      transactions: 5,
      settlements: 5,
      matchedGroups: 2,
      matchedTransactions: 2,
      matchedSettlements: 3,
      partiallySettled: 1,
      partiallySettledSettlements: 1,
      unmatchedTransactions: 1,
      agedTransactions: 0,
      orphanSettlements: 0,
      amountMismatches: 1,
      mismatchedTransactions: 1,
      mismatchedSettlements: 1,
    });
    expect(latest.data.sums.outstanding).toEqual({ EUR: '2000' });
    expect(outcomeLines(records)).toEqual([
      'matched a-1 <- s-1',
      'matched a-2 <- s-2a+s-2b',
      'partially-settled a-6 <- s-6',
      'unmatched a-4 NO_SETTLEMENT',
      'mismatch AMOUNT a-3 <- s-3',
    ]);
    expect(latest.data.results.parts[0]).toBe(
      `silver/matches/partner=acme-bank/dt=${DAY1}/match_run_id=${latest.data.matchRunId}/part-00000.jsonl`,
    );
    const item = (await scanTable(runtime, 'files')).find(
      (entry) => entry.pk === `MATCH#acme-bank#${DAY1}` && entry.sk === `RUN#${latest.data.matchRunId}`,
    );
    expect(item).toMatchObject({
      day: DAY1,
      daySort: `transactions#acme-bank#~MATCH#${latest.data.matchRunId}`,
      notSettlingTransactions: 1,
      eventId: latest.eventId,
    });
  });

  it('matches the missing settlement when it arrives late on the next business date', async () => {
    // Act
    await land('late');
    const [late] = await matchedAsOf(DAY2);

    // Assess: the DAY2 window reaches back to DAY1, so a-4 is matched and nothing is left open but a-6.
    expect(late!.data.window).toEqual({ from: '2026-11-13', to: DAY2 });
    expect(late!.data.inputs).toHaveLength(3);
    expect(late!.data.counts).toMatchObject({
      transactions: 5,
      settlements: 6,
      matchedGroups: 3,
      matchedSettlements: 4,
      partiallySettled: 1,
      unmatchedTransactions: 0,
      amountMismatches: 1,
    });
    expect(outcomeLines(await matchRecordsOf(runtime, late!))).toContain('matched a-4 <- s-4');
  });

  it('absorbs redeliveries of the same RecordsDeduplicated, with or without its idempotency records', async () => {
    // Prepare
    const trigger = (await archivedEvents(runtime, RecordsDeduplicatedV1.type)).find(
      (event) => (event.detail as { data: { fileId: string } }).data.fileId === fileIdOf.late,
    )!;
    const snapshot = async () => ({
      events: (await archivedDetails(runtime, SettlementsMatchedV1)).map((event) => event.eventId).sort(),
      runs: (await scanTable(runtime, 'files')).filter((entry) => String(entry.pk).startsWith('MATCH#'))
        .length,
      parts: await listKeys(runtime, runtime.resources.buckets.silver!.name, 'silver/matches/'),
    });
    const before = await snapshot();
    const poller = runtime.pollers['settlement-match']!;
    const redeliver = async (copies: number) => {
      const succeeded = poller.stats().succeeded;
      for (let copy = 0; copy < copies; copy += 1) {
        const result = await runtime.bus.putEvents([
          {
            EventBusName: runtime.bus.name,
            Source: trigger.source,
            DetailType: trigger['detail-type'],
            Detail: JSON.stringify(trigger.detail),
          },
        ]);
        expect(result.FailedEntryCount).toBe(0);
      }
      await waitUntil('the copies are consumed', () => poller.stats().succeeded >= succeeded + copies);
      await runtime.waitForIdle();
    };

    // Act: three copies (Powertools idempotency answers), then one with its records gone (the
    // MATCH#…/RUN#<matchRunId> item answers: the work is redone, nothing new is committed).
    await redeliver(3);
    const afterCopies = await snapshot();
    const records = (await scanTable(runtime, 'idempotency')).filter((entry) =>
      String(entry.id).startsWith('settlement-match#'),
    );
    for (const entry of records) {
      await runtime.clients.dynamodb.send(
        new DeleteItemCommand({
          TableName: runtime.resources.tables.idempotency!.name,
          Key: { id: { S: String(entry.id) } },
        }),
      );
    }
    await redeliver(1);

    // Assess
    expect(records.length).toBeGreaterThan(0);
    expect(before.runs).toBe(3);
    expect(afterCopies).toEqual(before);
    expect(await snapshot()).toEqual(before);
    expect(poller.stats().failed).toBe(0);
  });
});
