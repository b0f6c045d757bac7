import { findDataset } from '../../../contracts/datasets/catalog.ts';
import type { DatasetContract, SilverValue } from '../../../contracts/datasets/dataset-contract.ts';
import type { TransactionRow } from '../../../contracts/datasets/transactions.ts';
import type { ObjectRef, PartsRef } from '../../../contracts/events/envelope.ts';
import { ParquetPartBuffer } from '../../../lib/parquet/parquet-part-buffer.ts';
import { silverPartKey, silverPrefix } from '../../../lib/parquet/part-keys.ts';
import type { DedupFileInput } from '../dedup.ts';
import {
  DEFAULT_DEDUP_LIMITS,
  type DedupConfig,
  type DedupObjects,
  type DedupPorts,
  type HistoryManifest,
  type HistoryManifests,
  type HistoryScope,
} from '../ports.ts';

export const SILVER_BUCKET = 'silver-bucket';
export const QUARANTINE_BUCKET = 'quarantine-bucket';
export const NOW = new Date('2026-11-23T10:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

/** Test config: default limits and test buckets, overridable per test. */
export function testConfig(overrides: Partial<DedupConfig> = {}): DedupConfig {
  return {
    ...DEFAULT_DEDUP_LIMITS,
    buckets: { silver: SILVER_BUCKET, quarantine: QUARANTINE_BUCKET },
    ...overrides,
  };
}

/** A fake S3 as a Map. */
export function memoryObjects() {
  const stored = new Map<string, Uint8Array>();
  const id = (ref: ObjectRef) => `${ref.bucket}/${ref.key}`;
  const objects: DedupObjects = {
    async getObject(ref) {
      const bytes = stored.get(id(ref));
      if (!bytes) throw new Error(`NoSuchKey: ${id(ref)}`);
      return bytes;
    },
    async putObject(ref, bytes) {
      stored.set(id(ref), bytes);
    },
  };
  return {
    objects,
    put: (ref: ObjectRef, bytes: Uint8Array) => stored.set(id(ref), bytes),
    get: (bucket: string, key: string) => stored.get(`${bucket}/${key}`),
    keys: (bucket: string) =>
      [...stored.keys()]
        .filter((key) => key.startsWith(`${bucket}/`))
        .map((key) => key.slice(bucket.length + 1)),
  };
}

/**
 * The `dedup-history` table as DynamoDB behaves: consistent reads, a swap refused unless the version is the
 * expected one. `race` runs before a swap is evaluated, to let another run publish "just" before it.
 */
export function memoryHistory(options: { race?: (scope: HistoryScope) => Promise<void> | void } = {}) {
  const manifests = new Map<string, HistoryManifest>();
  const calls = { read: 0, swap: 0, refused: 0 };
  const id = (scope: HistoryScope) => `${scope.dataset}#${scope.partner}#${scope.bucket}`;
  const history: HistoryManifests = {
    async read(scopes) {
      calls.read += scopes.length;
      return scopes.map((scope) => manifests.get(id(scope)) ?? { version: 0, segments: [] });
    },
    async swap(swaps) {
      calls.swap += swaps.length;
      for (const { scope } of swaps) await options.race?.(scope);
      return swaps.map(({ scope, expectedVersion, segments }) => {
        const current = manifests.get(id(scope))?.version ?? 0;
        if (current !== expectedVersion) {
          calls.refused += 1;
          return false;
        }
        manifests.set(id(scope), { version: expectedVersion + 1, segments: [...segments] });
        return true;
      });
    },
  };
  return { history, manifests, calls };
}

/** Ports over a fake S3 and key store, with a fixed clock. */
export function testPorts(objects = memoryObjects(), history = memoryHistory()): DedupPorts {
  return { objects: objects.objects, history: history.history, now: () => NOW };
}

export function requireDataset(name: string, version = 1): DatasetContract {
  const contract = findDataset(name, version);
  if (!contract) throw new Error(`No contract ${name} v${version}`);
  return contract;
}

const noCards = { cardTokens: () => ({ bin: '411111', last4: '1111', fingerprint: 'f'.repeat(64) }) };

/**
 * Silver values of a transactions v1 row, through the contract's own `toSilver`.
 * @example txValues('tx-1', { amount: '10.00' })
 */
export function txValues(id: string, overrides: Partial<TransactionRow> = {}): SilverValue[] {
  const row: TransactionRow = {
    transaction_id: id,
    type: 'payment',
    amount: '10.00',
    currency: 'EUR',
    occurred_at: '2026-11-20T10:00:00.000001Z',
    merchant_id: 'm-1',
    settlement_reference: '',
    card_number: '',
    ...overrides,
  };
  return requireDataset('transactions').toSilver(row, noCards);
}

/** A validated file: identity and its rows (values + physical line), written to silver like schema-validate. */
export interface SilverFile {
  readonly fileId: string;
  readonly runId?: string;
  readonly businessDate?: string;
  readonly partner?: string;
  readonly rows: readonly SilverValue[][];
}

/**
 * Write a file's rows as silver parts of `partRows` rows (line numbers from 2) and return dedup's input for it.
 * @example const input = landSilver(objects, { fileId: 'f_…', rows: [txValues('tx-1')] })
 */
export function landSilver(
  objects: ReturnType<typeof memoryObjects>,
  file: SilverFile,
  options: { partRows?: number } = {},
): DedupFileInput {
  const partRows = options.partRows ?? 100_000;
  const contract = requireDataset('transactions');
  const input = {
    fileId: file.fileId,
    partner: file.partner ?? 'acme-bank',
    dataset: 'transactions' as const,
    businessDate: file.businessDate ?? '2026-11-20',
    schemaV: 1,
    sha256: file.fileId.slice(2).padEnd(64, '0'),
    runId: file.runId ?? 'run_1',
  };
  const prefix = silverPrefix(input);
  const parts: string[] = [];
  for (let start = 0; start < file.rows.length; start += partRows) {
    const buffer = new ParquetPartBuffer(contract.silverColumns, input);
    for (const [offset, values] of file.rows.slice(start, start + partRows).entries()) {
      buffer.append(values, start + offset + 2);
    }
    const key = silverPartKey(prefix, parts.length);
    objects.put({ bucket: SILVER_BUCKET, key }, buffer.finish());
    parts.push(key);
  }
  const silver: PartsRef = { bucket: SILVER_BUCKET, prefix, parts };
  return { ...input, valid: file.rows.length, silver };
}

/** File ids the dedup tests use, in the `f_` + 24 hex shape. */
export const fileIds = {
  a: 'f_aaaaaaaaaaaaaaaaaaaaaaaa',
  b: 'f_bbbbbbbbbbbbbbbbbbbbbbbb',
  c: 'f_cccccccccccccccccccccccc',
} as const;
