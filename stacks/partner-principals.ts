import { z } from 'zod';

/**
 * `FINLEDGER_PARTNER_PRINCIPALS`: who may assume each partner's delivery role on a stage. Per deploy, never in the
 * code: a partner's AWS accounts differ between stages (test accounts on staging, none on a development stage).
 * Pure, so `stage-config.ts` (and so `sst.config.ts`'s `app()`) can use it.
 */

/** Who may assume one partner's delivery role, and the external id they must present. */
export interface PartnerAccess {
  readonly principals: readonly string[];
  readonly externalId: string;
}

export const PARTNER_PRINCIPALS_VARIABLE = 'FINLEDGER_PARTNER_PRINCIPALS';

/** What one entry looks like; error messages show it. */
export const PARTNER_PRINCIPALS_EXAMPLE =
  '{"<partner-id>":{"principals":["arn:aws:iam::<12-digit account>:root"],"externalId":"<id you give the partner>"}}';

/** An account's root (any of its IAM principals its own IAM lets assume the role) or one role of it. */
const PRINCIPAL = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/([\w+=,.@-]+\/)*[\w+=,.@-]+)$/;
/** STS `ExternalId`: 2-1224 characters of these. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const PartnerAccessSchema = z.strictObject({
  principals: z
    .array(
      z.string().regex(PRINCIPAL, {
        error:
          'must be an account root ARN (arn:aws:iam::<12-digit account>:root) or a role ARN (…:role/<name>)',
      }),
    )
    .min(1, { error: 'must name at least one principal' }),
  externalId: z.string().regex(EXTERNAL_ID, {
    error: 'must be 2-1224 characters of letters, digits and +=,.@:/-_',
  }),
});

const PartnerPrincipalsSchema = z.record(z.string(), PartnerAccessSchema);

export type PartnerPrincipals = Readonly<Record<string, PartnerAccess>>;

/** The variable's entries, or every problem with them, each naming its partner. */
export type PartnerPrincipalsResult =
  | { readonly ok: true; readonly access: PartnerPrincipals }
  | { readonly ok: false; readonly problems: readonly string[] };

/** `principals[0]`, `externalId`: where in a partner's entry the issue is. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '');
}

function issueText(issue: z.core.$ZodIssue): string {
  const [partner, ...field] = issue.path;
  if (partner === undefined) return `the value: ${issue.message}`;
  return `partner ${String(partner)}: ${field.length > 0 ? `${fieldOf(field)} ` : ''}${issue.message}`;
}

function unknownPartners(json: unknown, knownPartners: readonly string[]): string[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return [];
  return Object.keys(json)
    .filter((partner) => !knownPartners.includes(partner))
    .map(
      (partner) =>
        `partner ${partner} is not in config/partners.ts (known: ${knownPartners.join(', ')}); fix the id or remove the entry`,
    );
}

function sharedExternalIds(access: PartnerPrincipals): string[] {
  const owners = new Map<string, string[]>();
  for (const [partner, entry] of Object.entries(access))
    owners.set(entry.externalId, [...(owners.get(entry.externalId) ?? []), partner]);
  return [...owners.values()]
    .filter((partners) => partners.length > 1)
    .map((partners) => `partners ${partners.join(', ')} share one externalId; give each partner its own`);
}

/**
 * Parse the variable's JSON against the partner registry: every key a known partner id, every principal an IAM ARN,
 * every external id valid for STS and unique. Undefined or blank means no entries.
 * @example parsePartnerPrincipals('{"acme-bank":{"principals":["arn:aws:iam::111122223333:root"],"externalId":"acme-7f3a"}}', ['acme-bank'])
 */
export function parsePartnerPrincipals(
  raw: string | undefined,
  knownPartners: readonly string[],
): PartnerPrincipalsResult {
  if (raw === undefined || raw.trim() === '') return { ok: true, access: {} };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { ok: false, problems: [`it is not JSON (${(error as Error).message})`] };
  }
  const unknown = unknownPartners(json, knownPartners);
  const parsed = PartnerPrincipalsSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: [...unknown, ...parsed.error.issues.map(issueText)] };
  const problems = [...unknown, ...sharedExternalIds(parsed.data)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, access: parsed.data };
}
