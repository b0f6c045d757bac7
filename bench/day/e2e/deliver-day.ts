import { createReadStream } from 'node:fs';
import { landObject } from '../../../cli/main-job.ts';
import { findPartner, type PartnerSpec } from '../../../config/partners.ts';
import { gatesFor } from '../../../config/ready-gates.ts';
import type { Runtime } from '../../../runtime/runtime.ts';
import type { ScenarioClock } from '../../../runtime/scenario-clock.ts';
import { cutoffInstant } from '../../../services/ready-publisher/cutoff.ts';
import type { DayManifest } from '../generate/day-truth.ts';

const HOUR_MS = 3_600_000;

/**
 * Land the day's files in the landing bucket as `npm start` lands the sample set (`landObject`: one PutObject up to
 * 8 MiB, multipart above, streamed from disk), one after another, each partner's files stamped one hour before its
 * earliest cut-off (the scenario clock), so every cut-off gate passes on whatever day the bench runs.
 */
export async function deliverDay(
  runtime: Runtime,
  clock: ScenarioClock,
  manifest: DayManifest,
): Promise<void> {
  const partnerIds = [...new Set(manifest.files.map((file) => file.partner))];
  for (const partnerId of partnerIds) {
    const partner = findPartner(partnerId);
    if (!partner) throw new Error(`the manifest names ${partnerId}, which config/partners.ts does not know`);
    await clock.jumpTo(deliveryTime(partner, manifest.businessDate));
    for (const file of manifest.files.filter((item) => item.partner === partnerId))
      await landObject(runtime, file.landingKey, createReadStream(file.path));
  }
}

/** One hour before the partner's earliest cut-off of the date (config/ready-gates.ts, the partner's zone). */
function deliveryTime(partner: PartnerSpec, businessDate: string): Date {
  const cutoffs = (['transactions', 'settlements'] as const).flatMap((dataset) => {
    const expected = gatesFor(dataset)?.expectedFiles.find((file) => file.partner === partner.id);
    return expected ? [cutoffInstant(businessDate, expected.cutoff, partner.timezone).getTime()] : [];
  });
  if (cutoffs.length === 0) throw new Error(`config/ready-gates.ts expects no file from ${partner.id}`);
  return new Date(Math.min(...cutoffs) - HOUR_MS);
}
