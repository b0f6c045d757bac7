/**
 * Per-stage settings: the only values that differ between stages. Everything else is derived from
 * `topology/topology.ts`. Pure data (no SST globals), so `sst.config.ts`'s `app()` and the tests can
 * import it.
 */

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
  /** On-call address subscribed to the alarm topic (needs a one-time confirmation), or null for none. */
  readonly alarmEmail: string | null;
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
  alarmEmail: 'finledger-oncall@example.com',
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
  quarantineRatePercent: 20,
  keyDeletionWindowDays: 7,
};

const named: Readonly<Record<string, StageConfig>> = { production, staging };

/**
 * Settings of a stage: `production` and `staging` are declared; any other name is a development stage.
 * @example stageConfig('production').archiveRetentionDays // 0 (indefinite)
 */
export function stageConfig(stage: string): StageConfig {
  return named[stage] ?? { ...development, stage };
}
