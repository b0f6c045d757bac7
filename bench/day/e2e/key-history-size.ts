import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { scanTable } from '../../../lib/aws/scan-table.ts';
import type { Runtime } from '../../../runtime/runtime.ts';

/** The dedup key history as stored after the run: what storage at full retention is extrapolated from. */
export interface KeyHistorySize {
  /** Segments the manifests name (the live history). */
  readonly liveSegments: number;
  readonly liveBytes: number;
  /** Keys in the live segments. */
  readonly liveKeys: number;
  /** Every object under `history/dedup/`, including segments a refused swap or a compaction left unreferenced. */
  readonly allSegments: number;
  readonly allBytes: number;
}

const PREFIX = 'history/dedup/';

/** Sizes of the key-history segments in the silver bucket and of those the `dedup-history` manifests name. */
export async function keyHistorySize(runtime: Runtime): Promise<KeyHistorySize> {
  const bucket = runtime.resources.buckets.silver?.name;
  const table = runtime.resources.tables['dedup-history']?.name;
  if (!bucket || !table) throw new Error('the topology has no silver bucket or dedup-history table');
  const sizes = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await runtime.clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) sizes.set(object.Key, object.Size ?? 0);
    token = page.NextContinuationToken;
  } while (token);
  let liveSegments = 0;
  let liveBytes = 0;
  let liveKeys = 0;
  for await (const raw of scanTable(runtime.clients.dynamodb, table)) {
    const item = unmarshall(raw) as { segments?: { key: string; rows: number }[] };
    for (const segment of item.segments ?? []) {
      liveSegments += 1;
      liveKeys += segment.rows;
      liveBytes += sizes.get(segment.key) ?? 0;
    }
  }
  const allBytes = [...sizes.values()].reduce((total, size) => total + size, 0);
  return { liveSegments, liveBytes, liveKeys, allSegments: sizes.size, allBytes };
}
