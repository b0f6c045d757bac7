import {
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { scanContent } from '../../lib/card-data/scan/content-scan.ts';
import { cardFinding } from '../../lib/card-data/scan/findings.ts';
import type { CardDataLocation, ScanReport } from '../../lib/card-data/scan/scan-report.ts';
import { scanText } from '../../lib/card-data/scan/text-scan.ts';

/**
 * Every bucket the emulator holds, every object: its key and its content, except under a card-data prefix
 * (counted, not read). Current objects come from ListObjectsV2; older versions from ListObjectVersions where the
 * store keeps them. fauxqs answers ListObjectVersions with a plain object listing (no `Versions`), which reads as
 * "no versions": that is recorded as a note rather than taken as proof.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
 */
export async function scanBuckets(
  s3: S3Client,
  isCardData: CardDataLocation,
  report: ScanReport,
): Promise<void> {
  for (const bucket of await listBuckets(s3)) {
    report.scanned.buckets += 1;
    try {
      const current = await scanCurrentObjects(s3, bucket, isCardData, report);
      await scanOlderVersions(s3, bucket, current, isCardData, report);
    } catch (error) {
      report.errors.push(maskCardNumbers(`bucket ${bucket}: ${String(error)}`));
    }
  }
}

async function listBuckets(s3: S3Client): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListBucketsCommand({ ContinuationToken: token }));
    names.push(...(page.Buckets ?? []).flatMap((bucket) => bucket.Name ?? []));
    token = page.ContinuationToken;
  } while (token);
  return names;
}

async function scanCurrentObjects(
  s3: S3Client,
  bucket: string,
  isCardData: CardDataLocation,
  report: ScanReport,
): Promise<number> {
  let listed = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      listed += 1;
      await scanObject(s3, bucket, object.Key, undefined, isCardData, report);
    }
    token = page.NextContinuationToken;
  } while (token);
  return listed;
}

async function scanOlderVersions(
  s3: S3Client,
  bucket: string,
  currentObjects: number,
  isCardData: CardDataLocation,
  report: ScanReport,
): Promise<void> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    if (page.Versions === undefined && page.DeleteMarkers === undefined) {
      if (currentObjects > 0)
        report.notes.push(
          `bucket ${bucket}: the store lists no object versions (fauxqs keeps none); current objects scanned`,
        );
      return;
    }
    for (const version of page.Versions ?? []) {
      if (version.IsLatest || version.Key === undefined) continue;
      await scanObject(s3, bucket, version.Key, version.VersionId, isCardData, report);
    }
    for (const marker of page.DeleteMarkers ?? []) {
      if (marker.Key !== undefined && !isCardData(bucket, marker.Key))
        scanKey(bucket, marker.Key, `delete marker ${marker.VersionId}`, report);
    }
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  } while (keyMarker || versionMarker);
}

async function scanObject(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string | undefined,
  isCardData: CardDataLocation,
  report: ScanReport,
): Promise<void> {
  if (isCardData(bucket, key)) {
    report.scanned.restrictedObjects += 1;
    return;
  }
  report.scanned.objects += 1;
  const entry = versionId ? `${key} (version ${versionId})` : key;
  scanKey(bucket, key, entry, report);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    const { hits, notes } = await scanContent(bytes);
    for (const hit of hits)
      report.findings.push(cardFinding({ store: 'object', container: bucket, entry, ...hit }));
    report.notes.push(...notes.map((note) => maskCardNumbers(`bucket ${bucket} key ${entry}: ${note}`)));
  } catch (error) {
    report.errors.push(maskCardNumbers(`bucket ${bucket} key ${entry}: ${String(error)}`));
  }
}

function scanKey(bucket: string, key: string, entry: string, report: ScanReport): void {
  for (const hit of scanText(key))
    report.findings.push(
      cardFinding({
        store: 'object-key',
        container: bucket,
        entry,
        where: `key, column ${hit.column}`,
        excerpt: hit.excerpt,
      }),
    );
}
