import type { PartnerSpec } from '../../config/partners.ts';
import type { BucketName, Topology } from '../../topology/types.ts';
import type { StageConfig } from '../stage-config.ts';
import { names } from './names.ts';

/** Partners deliver into landing under `inbound/<partner>/<dataset>/<business-date>/<file name>` (topology.ts). */
export const DELIVERY_BUCKET: BucketName = 'landing';
export const DELIVERY_PREFIX = 'inbound/';
/** Longest STS session of a delivery role: a leaked session is useless within the hour. */
export const DELIVERY_SESSION_SECONDS = 3600;

/** One partner's delivery role: who may assume it, and the landing prefix it may write and list. */
export interface PartnerRolePlan {
  readonly name: string;
  readonly partner: string;
  readonly description: string;
  /** Stage output holding the role's ARN. */
  readonly output: string;
  readonly principals: readonly string[];
  readonly externalId: string;
  readonly bucket: BucketName;
  /** Component name of the bucket's KMS key, which its default encryption uses. */
  readonly key: string;
  /** `inbound/<partner>/`: the only keys the role may write or list. */
  readonly prefix: string;
  readonly maxSessionSeconds: number;
}

export interface PartnerAccessPlan {
  readonly roles: readonly PartnerRolePlan[];
  /** Partners with no principals on this stage: no role, and the stage outputs name them. */
  readonly withoutRole: readonly string[];
}

/** The partner registry or the topology cannot give partners a safe delivery prefix. */
export class PartnerAccessError extends Error {}

/** A partner id is a key prefix and part of an IAM resource: no wildcard or separator may widen the grant. */
const PARTNER_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function assertDeliveryTarget(topology: Topology, partners: readonly PartnerSpec[]): void {
  const bucket = topology.buckets.find((candidate) => candidate.name === DELIVERY_BUCKET);
  if (!bucket?.prefixes.includes(DELIVERY_PREFIX))
    throw new PartnerAccessError(
      `Partners deliver into bucket ${DELIVERY_BUCKET} under ${DELIVERY_PREFIX}, which topology/topology.ts does not declare; declare it there or change DELIVERY_BUCKET/DELIVERY_PREFIX in stacks/plan/partner-access.ts.`,
    );
  const unsafe = partners.filter((partner) => !PARTNER_ID.test(partner.id)).map((partner) => partner.id);
  if (unsafe.length > 0)
    throw new PartnerAccessError(
      `Partner id ${unsafe.join(', ')} in config/partners.ts is not lower-case kebab (a-z, 0-9, single hyphens): it becomes the delivery prefix inbound/<id>/ in IAM policies. Rename it there.`,
    );
}

/**
 * A delivery role for each partner that has principals on this stage (`config.partnerAccess`); the rest are listed
 * in `withoutRole`. Each role may write and list `inbound/<partner>/` of landing only.
 * @example planPartnerAccess(partners, topology, stageConfig('dev', {})).withoutRole // ['acme-bank', 'globex-pay', …]
 */
export function planPartnerAccess(
  partners: readonly PartnerSpec[],
  topology: Topology,
  config: StageConfig,
): PartnerAccessPlan {
  assertDeliveryTarget(topology, partners);
  const roles = partners.flatMap((partner): PartnerRolePlan[] => {
    const access = Object.hasOwn(config.partnerAccess, partner.id)
      ? config.partnerAccess[partner.id]
      : undefined;
    if (!access) return [];
    const prefix = `${DELIVERY_PREFIX}${partner.id}/`;
    return [
      {
        name: names.partnerRole(partner.id),
        partner: partner.id,
        description: `finledger ${config.stage}: ${partner.name} delivers files under ${prefix} of the ${DELIVERY_BUCKET} bucket`,
        output: names.partnerRoleOutput(partner.id),
        principals: access.principals,
        externalId: access.externalId,
        bucket: DELIVERY_BUCKET,
        key: names.bucketKey(DELIVERY_BUCKET),
        prefix,
        maxSessionSeconds: DELIVERY_SESSION_SECONDS,
      },
    ];
  });
  return {
    roles,
    withoutRole: partners
      .filter((partner) => !Object.hasOwn(config.partnerAccess, partner.id))
      .map((partner) => partner.id),
  };
}
