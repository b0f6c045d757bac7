import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { FileRejectedV1 } from '../../contracts/events/file-rejected.ts';
import { FileValidatedV1 } from '../../contracts/events/file-validated.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { CORPUS_PAN, type HostileCase, hostileCorpus } from '../sample-data/hostile-corpus.ts';
import { expectNoClearCardNumbers } from './card-data-scan.ts';
import {
  archivedDetails,
  configureTestEnvironment,
  landAndSettle,
  readObjectText,
  registry,
  startTestPipeline,
} from './support.ts';

interface QuarantineEntry {
  rowNumber: number;
  field: string | null;
  reason: string;
}

/**
 * The hostile-input corpus through the real pipeline on the emulators: every delivery ends in its documented
 * outcome, every file conserves its rows, nothing reaches a DLQ, and the runtime keeps going.
 */
describe('hostile partner deliveries on the offline runtime', () => {
  let runtime: Runtime;
  const corpus = hostileCorpus();

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(runtime, corpus, 180_000);
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  const landedFor = async (item: HostileCase) =>
    (await archivedDetails(runtime, FileLandedV1)).find(
      (event) => event.data.landing.key === item.landingKey,
    );

  it.each(corpus.map((item) => [item.name, item] as const))(
    'ends "%s" in its documented outcome',
    async (_name, item) => {
      const expected = item.expected;
      const landed = await landedFor(item);
      const rejections = await archivedDetails(runtime, FileRejectedV1);

      if (expected.stage === 'landing') {
        // Assess: refused at landing, announced under the masked key, bytes kept only under restricted/.
        expect(landed).toBeUndefined();
        const refused = rejections.filter((event) =>
          event.data.source.key.startsWith(maskCardNumbers(item.landingKey)),
        );
        expect(refused.map((event) => event.data.code)).toEqual([expected.code]);
        const parked = refused[0]?.data.quarantine?.parts ?? [];
        expect(parked.length).toBe(1);
        expect(parked.every((part) => part.startsWith(item.restricted ? 'restricted/' : 'quarantine/'))).toBe(
          true,
        );
        return;
      }

      expect(landed, `${item.name} did not land`).toBeDefined();
      const fileId = landed?.data.fileId ?? '';
      expect(landed?.data.raw.key.startsWith('restricted/')).toBe(item.restricted);
      expect(landed?.data.cardDataDetected).toBe(item.restricted);
      const record = await registry(runtime).get(fileId);

      if (expected.stage === 'validation') {
        const refused = rejections.filter((event) => event.data.fileId === fileId);
        expect(refused.map((event) => [event.data.code, event.data.reason.length > 20])).toEqual([
          [expected.code, true],
        ]);
        const counts = refused[0]?.data.counts;
        expect(counts && counts.rowsIn === counts.valid + counts.quarantined).toBe(true);
        expect(record?.stage).toBe('REJECTED');
        return;
      }

      const validated = (await archivedDetails(runtime, FileValidatedV1)).find(
        (event) => event.data.fileId === fileId,
      );
      expect(record?.stage).toBe('VALIDATED');
      expect(validated?.data.counts).toEqual({
        rowsIn: expected.valid + expected.quarantined.length,
        valid: expected.valid,
        quarantined: expected.quarantined.length,
      });
      const entries: QuarantineEntry[] = [];
      for (const part of validated?.data.quarantine?.parts ?? []) {
        const text = await readObjectText(runtime, validated?.data.quarantine?.bucket ?? '', part);
        entries.push(
          ...text
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as QuarantineEntry),
        );
      }
      expect(entries.map((entry) => entry.field)).toEqual(expected.quarantined.map((entry) => entry.field));
      expected.quarantined.forEach((entry, index) => {
        expect(entries[index]?.reason).toMatch(entry.reason);
      });
    },
  );

  it('never puts a card number in clear in a reason, a total or a key of any event', async () => {
    const events = JSON.stringify([
      ...(await archivedDetails(runtime, FileLandedV1)),
      ...(await archivedDetails(runtime, FileRejectedV1)),
      ...(await archivedDetails(runtime, FileValidatedV1)),
    ]);

    expect(events).not.toContain(CORPUS_PAN);
    expect(events).toContain(maskCardNumbers(CORPUS_PAN));
  });

  it('leaves no message in any DLQ', async () => {
    for (const service of Object.keys(runtime.resources.services)) {
      expect(await runtime.dlq.listDlq(service), service).toEqual([]);
      expect(await runtime.dlq.listDlq(service, { kind: 'bus' }), `${service} bus DLQ`).toEqual([]);
    }
  });

  it('leaves no clear card number outside restricted/ in any store, by pan-scan', async () => {
    await expectNoClearCardNumbers(runtime);
  });

  it('keeps the runtime processing: a clean file after the corpus is validated', async () => {
    // Prepare
    const text =
      'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number\n' +
      'tx_after_1,payment,1.00,EUR,2026-11-22T10:00:00+01:00,m_after,,\n';
    const landingKey = 'inbound/globex-pay/transactions/2026-11-22/after-the-corpus.csv';

    // Act
    await landAndSettle(runtime, [{ landingKey, bytes: new TextEncoder().encode(text) }], 60_000);

    // Assess
    const landed = (await archivedDetails(runtime, FileLandedV1)).find(
      (event) => event.data.landing.key === landingKey,
    );
    expect((await registry(runtime).get(landed?.data.fileId ?? ''))?.stage).toBe('VALIDATED');
  });
});
