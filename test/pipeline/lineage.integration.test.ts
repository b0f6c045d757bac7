import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lineageCommand } from '../../cli/commands/lineage.ts';
import { gatherLineageFacts, lineageSourcesOf } from '../../cli/lineage/gather.ts';
import { type LineageReport, traceRecord } from '../../cli/lineage/trace.ts';
import { FileLandedV1, FileValidatedV1 } from '../../contracts/events/catalog.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { archivedDetails, configureTestEnvironment, landAndSettle, startTestPipeline } from './support.ts';

const HEADER = 'transaction_id,type,amount,currency,occurred_at,merchant_id,settlement_reference,card_number';
const tx = (id: string, amount = '10.00', card = '') =>
  `${id},payment,${amount},USD,2026-11-19T10:00:00Z,m-1,,${card}`;

/** Landed in order, each deduplicated before the next: the first owns every key (lines start at 2). */
const files = [
  {
    name: 'first',
    landingKey: 'inbound/globex-pay/transactions/2026-11-19/lineage-a.csv',
    lines: [tx('l-1'), tx('l-2', '10.00', '4242424242424242'), tx('l-3')],
  },
  {
    name: 'second',
    landingKey: 'inbound/globex-pay/transactions/2026-11-20/lineage-b.csv',
    // l-2 again exactly (duplicate across files and days); l-3 with another amount (conflict).
    lines: [tx('l-4'), tx('l-2', '10.00', '4242424242424242'), tx('l-3', '99.00')],
  },
] as const;

describe('lineage on the offline runtime', () => {
  let runtime: Runtime;
  const landed: Record<string, { fileId: string; sha256: string; runId: string; schemaV: number }> = {};

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    for (const file of files) {
      const bytes = new TextEncoder().encode(`${[HEADER, ...file.lines].join('\n')}\n`);
      await landAndSettle(runtime, [{ landingKey: file.landingKey, bytes }]);
      await runtime.waitForIdle();
    }
    const validated = await archivedDetails(runtime, FileValidatedV1);
    for (const event of await archivedDetails(runtime, FileLandedV1)) {
      const file = files.find((candidate) => candidate.landingKey === event.data.landing.key);
      const run = validated.find((candidate) => candidate.data.fileId === event.data.fileId);
      if (file && run)
        landed[file.name] = {
          fileId: event.data.fileId,
          sha256: event.data.sha256,
          runId: run.runId,
          schemaV: run.data.schemaV,
        };
    }
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  const fileOf = (name: string) => {
    const file = landed[name];
    if (!file) throw new Error(`file ${name} was not landed and validated`);
    return file;
  };

  const trace = async (id: string): Promise<LineageReport> => {
    const result = traceRecord(
      await gatherLineageFacts(lineageSourcesOf(runtime.stageDocument, runtime.clients), {
        dataset: 'transactions',
        partner: 'globex-pay',
        id,
      }),
    );
    if (!result.found) throw new Error(result.message);
    return result.report;
  };

  it('traces an exactly repeated transaction to its raw file, silver row and the duplicate of the next day', async () => {
    // Prepare
    const first = fileOf('first');
    const second = fileOf('second');

    // Act
    const report = await trace('l-2');

    // Assess
    expect(report).toMatchObject({
      status: 'unique',
      owner: { lineage: { fileId: first.fileId, rowNumber: 3, runId: first.runId, sha256: first.sha256 } },
      raw: { fileId: first.fileId, sha256: first.sha256, businessDate: '2026-11-19', stage: 'VALIDATED' },
      silver: {
        lineage: { fileId: first.fileId, sha256: first.sha256, rowNumber: 3, runId: first.runId, schemaV: 1 },
        columns: {
          transaction_id: 'l-2',
          amount_minor: '1000',
          card_last4: '4242',
          occurred_at: '2026-11-19T10:00:00.000Z',
          business_date: '2026-11-19',
        },
      },
      silverRunId: first.runId,
      gold: { state: 'absent', readyRunId: null, latestVerdict: { verdict: 'BLOCKED' } },
      warnings: [],
    });
    expect(first.schemaV).toBe(1);
    expect(report.unique?.part.key).toMatch(
      /^silver\/dedup\/dataset=transactions\/source=globex-pay\/dt=2026-11-19\//,
    );
    const { runId: ownerRunId, ...ownerPlace } = report.owner?.lineage ?? { runId: '' };
    expect(report.occurrences).toEqual([
      {
        outcome: 'duplicate',
        scope: 'cross-file',
        row: { fileId: second.fileId, rowNumber: 3, businessDate: '2026-11-20', sha256: second.sha256 },
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        against: ownerPlace,
        record: null,
        runs: [{ runId: second.runId, againstRunId: ownerRunId, recordedAt: expect.any(String) }],
      },
    ]);
    expect(JSON.stringify(report)).not.toContain('4242424242424242');
  });

  it('traces a conflicting transaction with the lineage of both versions', async () => {
    // Prepare
    const first = fileOf('first');
    const second = fileOf('second');

    // Act
    const report = await trace('l-3');

    // Assess
    expect(report.owner?.lineage).toMatchObject({ fileId: first.fileId, rowNumber: 4, runId: first.runId });
    expect(report.silver?.columns).toMatchObject({ amount_minor: '1000' });
    expect(report.occurrences).toHaveLength(1);
    expect(report.occurrences[0]).toMatchObject({
      outcome: 'conflict',
      scope: 'cross-file',
      row: { fileId: second.fileId, rowNumber: 4, sha256: second.sha256 },
      against: { fileId: first.fileId, rowNumber: 4, sha256: first.sha256 },
      record: { transaction_id: 'l-3', amount_minor: '9900', occurred_at: '2026-11-19T10:00:00.000Z' },
      runs: [{ runId: second.runId, againstRunId: first.runId }],
    });
    expect(report.occurrences[0]?.fingerprint).not.toBe(report.owner?.fingerprint);
  });

  it('prints the tree, the JSON, and exits 1 for an unknown record', async () => {
    // Prepare
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const tree = await lineageCommand(
      lineageSourcesOf(runtime.stageDocument, runtime.clients),
      ['transactions', 'globex-pay', 'l-3'],
      { json: false },
    );
    const json = await lineageCommand(
      lineageSourcesOf(runtime.stageDocument, runtime.clients),
      ['transactions', 'globex-pay', 'l-1'],
      { json: true },
    );
    const unknown = await lineageCommand(
      lineageSourcesOf(runtime.stageDocument, runtime.clients),
      ['transactions', 'globex-pay', 'nope'],
      { json: false },
    );
    const printed = out.mock.calls.map((call) => String(call[0]));
    const errors = err.mock.calls.map((call) => String(call[0]));
    out.mockRestore();
    err.mockRestore();

    // Assess
    expect([tree, json, unknown]).toEqual([0, 0, 1]);
    expect(printed[0]).toContain(`sha256 ${fileOf('first').sha256}`);
    expect(printed[0]).toContain('conflict (cross-file)');
    expect(printed[0]).toContain('gold: not in gold yet: no gold partition for the business date');
    expect(printed[0]).toContain('latest verdict: BLOCKED (');
    expect(printed[0]).toContain('its version: transaction_id=l-3 type=payment amount_minor=9900');
    expect(printed[0]).toMatch(/its version: .* occurred_at=2026-11-19T10:00:00.000Z /);
    expect(JSON.parse(printed[1] ?? '')).toMatchObject({ id: 'l-1', occurrences: [] });
    expect(errors).toEqual([
      'no record nope for partner globex-pay in transactions: check the id, or whether the file was landed',
    ]);
  });
});
