/**
 * Per-stage settings: the only values that differ between stages. Everything else is derived from
 * `topology/topology.ts`. Pure data (no SST globals), so `sst.config.ts`'s `app()` and the tests can
 * import it.
 */
import { partners } from '../config/partners.ts';
import {
  PARTNER_PRINCIPALS_EXAMPLE,
  PARTNER_PRINCIPALS_VARIABLE,
  type PartnerPrincipals,
  parsePartnerPrincipals,
} from './partner-principals.ts';

/** CloudWatch Logs retention values SST's `Function` accepts (`logging.retention`). */
export type LogRetention =
  | '1 day'
  | '3 days'
  | '1 week'
  | '2 weeks'
  | '1 month'
  | '3 months'
  | '6 months'
  | '1 year'
  | '13 months'
  | '18 months'
  | '2 years'
  | '3 years'
  | '5 years'
  | '7 years'
  | '10 years'
  | 'forever';

export interface StageConfig {
  readonly stage: string;
  /** Production data: retained on `sst remove`, Pulumi-`protect`ed, Object Lock on raw, stage `protect`ed. */
  readonly production: boolean;
  readonly slo: {
    /** Oldest message in a service queue, in seconds, before on-call is paged. */
    readonly oldestMessageAgeSeconds: number;
    /** Age of the oldest outbox stream record the relay has not published yet (Lambda `IteratorAge`). */
    readonly outboxRelayLagSeconds: number;
  };
  /** EventBridge archive retention in days; 0 keeps events indefinitely. */
  readonly archiveRetentionDays: number;
  readonly logRetention: LogRetention;
  /** Default Object Lock retention on the raw bucket, or null for no Object Lock (removable stages). */
  readonly objectLock: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly years: number } | null;
  /** Days after which raw objects move to colder storage (S3 Glacier Instant Retrieval). */
  readonly rawColdAfterDays: number;
  /**
   * Days a file holding card numbers is kept under a card-data prefix (quarantine `restricted/`) before S3 deletes
   * it, with its older versions and unfinished uploads. PCI DSS 4.0 requirement 3.2.1: keep account data only as
   * long as a business need requires.
   */
  readonly restrictedRetentionDays: number;
  /**
   * On-call address subscribed to the alarm topic (needs a one-time confirmation), or null for none. Set per deploy
   * in `FINLEDGER_ALARM_EMAIL`, never in the code: required for a production profile.
   */
  readonly alarmEmail: string | null;
  /**
   * Who may assume each partner's delivery role, by partner id. Set per deploy in `FINLEDGER_PARTNER_PRINCIPALS`,
   * never in the code: required for every partner on a production profile; elsewhere a partner without an entry
   * gets no role (the stage outputs name it).
   */
  readonly partnerAccess: PartnerPrincipals;
  /** Business alarm threshold: quarantined rows as a percentage of rows in, per file. */
  readonly quarantineRatePercent: number;
  /** Waiting period before a scheduled KMS key deletion completes (7-30 days). */
  readonly keyDeletionWindowDays: number;
}

const production: StageConfig = {
  stage: 'production',
  production: true,
  slo: { oldestMessageAgeSeconds: 15 * 60, outboxRelayLagSeconds: 60 },
  archiveRetentionDays: 0,
  logRetention: '13 months',
  objectLock: { mode: 'COMPLIANCE', years: 7 },
  rawColdAfterDays: 90,
  // The file is kept only to work the incident: show the partner what they sent, get a clean resend, close the
  // month it belongs to. A month covers that. The price: a rerun of that file after expiry is skipped with
  // RAW_SNAPSHOT_MISSING (services/rerun) and needs the partner's clean resend, which PCI DSS prefers anyway.
  restrictedRetentionDays: 30,
  alarmEmail: null,
  partnerAccess: {},
  quarantineRatePercent: 5,
  keyDeletionWindowDays: 30,
};

const staging: StageConfig = {
  stage: 'staging',
  production: false,
  slo: { oldestMessageAgeSeconds: 30 * 60, outboxRelayLagSeconds: 300 },
  archiveRetentionDays: 30,
  logRetention: '1 month',
  objectLock: null,
  rawColdAfterDays: 30,
  // Test partners' files: a week is enough to inspect a release's landing of card data.
  restrictedRetentionDays: 7,
  alarmEmail: null,
  partnerAccess: {},
  quarantineRatePercent: 5,
  keyDeletionWindowDays: 7,
};

/** Personal and CI stages: short retention, everything removable, nobody paged. */
const development: Omit<StageConfig, 'stage'> = {
  production: false,
  slo: { oldestMessageAgeSeconds: 60 * 60, outboxRelayLagSeconds: 600 },
  archiveRetentionDays: 7,
  logRetention: '1 week',
  objectLock: null,
  rawColdAfterDays: 30,
  // Nothing to keep: the shortest expiry S3 offers.
  restrictedRetentionDays: 1,
  alarmEmail: null,
  partnerAccess: {},
  quarantineRatePercent: 20,
  keyDeletionWindowDays: 7,
};

/** The profiles a stage can have. */
export type StageProfile = 'production' | 'staging' | 'development';

/** Development stages by name: shared `dev`, CI (`ci`, `ci-…`), pull requests (`pr-<n>`) and personal `dev-<name>`. */
export const DEVELOPMENT_STAGE = /^(dev|ci|local|test)(-[a-z0-9][a-z0-9-]{0,30})?$|^pr-\d{1,6}$/;

/** What a deploy may set: the profile of a stage not named here, the on-call address and partners' principals. */
export interface StageEnvironment {
  readonly [name: string]: string | undefined;
  readonly FINLEDGER_STAGE_PROFILE?: string;
  readonly FINLEDGER_ALARM_EMAIL?: string;
  readonly FINLEDGER_PARTNER_PRINCIPALS?: string;
}

/** The stage cannot be deployed as configured; the message says what to set. */
export class StageConfigError extends Error {}

const profiles: Readonly<Record<StageProfile, Omit<StageConfig, 'stage'>>> = {
  production,
  staging,
  development,
};
const PLACEHOLDER_ADDRESS = /@(example\.(com|org|net)|[^@]*\.(example|invalid|test|localhost))$/i;

function profileOf(stage: string, env: StageEnvironment): StageProfile {
  const given = env.FINLEDGER_STAGE_PROFILE;
  if (given !== undefined) {
    if (given in profiles) return given as StageProfile;
    throw new StageConfigError(
      `FINLEDGER_STAGE_PROFILE=${given} is not a profile; use one of ${Object.keys(profiles).join(', ')}.`,
    );
  }
  if (stage === 'production' || stage === 'staging') return stage;
  if (DEVELOPMENT_STAGE.test(stage)) return 'development';
  throw new StageConfigError(
    `Stage "${stage}" has no profile. Known: production, staging, and development stages named dev, dev-<name>, ci, ci-<name>, pr-<number>. Deploy under one of those names, or give this stage a profile: FINLEDGER_STAGE_PROFILE=production|staging|development sst deploy --stage ${stage}.`,
  );
}

function alarmEmailOf(stage: string, profile: StageProfile, env: StageEnvironment): string | null {
  const address = env.FINLEDGER_ALARM_EMAIL?.trim() || null;
  if (address !== null && (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address) || PLACEHOLDER_ADDRESS.test(address)))
    throw new StageConfigError(`FINLEDGER_ALARM_EMAIL=${address} is not a real on-call address.`);
  if (address === null && profile === 'production')
    throw new StageConfigError(
      `Stage "${stage}" is production: set FINLEDGER_ALARM_EMAIL to the on-call address that alarms page (it confirms the subscription once), then deploy again.`,
    );
  return address;
}

function partnerAccessOf(stage: string, profile: StageProfile, env: StageEnvironment): PartnerPrincipals {
  const known = partners.map((partner) => partner.id);
  const parsed = parsePartnerPrincipals(env[PARTNER_PRINCIPALS_VARIABLE], known);
  if (!parsed.ok)
    throw new StageConfigError(
      `${PARTNER_PRINCIPALS_VARIABLE} is not valid: ${parsed.problems.join('; ')}. It holds JSON like ${PARTNER_PRINCIPALS_EXAMPLE}.`,
    );
  const missing = known.filter((partner) => !Object.hasOwn(parsed.access, partner));
  if (missing.length > 0 && profile === 'production')
    throw new StageConfigError(
      `Stage "${stage}" is production: ${PARTNER_PRINCIPALS_VARIABLE} has no entry for partner${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. Add each one's AWS account or role ARNs and the external id you give it (${PARTNER_PRINCIPALS_EXAMPLE}), then deploy again.`,
    );
  return parsed.access;
}

/**
 * Settings of a stage: `production` and `staging` by name, development stages by name pattern, any other name
 * only with `FINLEDGER_STAGE_PROFILE` (so `prod` never silently gets the disposable development profile). The
 * alarm address comes from `FINLEDGER_ALARM_EMAIL` and partners' principals from `FINLEDGER_PARTNER_PRINCIPALS`,
 * both required for production.
 * @example stageConfig('staging', {}).archiveRetentionDays // 30
 */
export function stageConfig(stage: string, env: StageEnvironment = process.env): StageConfig {
  const profile = profileOf(stage, env);
  return {
    ...profiles[profile],
    stage,
    alarmEmail: alarmEmailOf(stage, profile, env),
    partnerAccess: partnerAccessOf(stage, profile, env),
  };
}
