import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Kept by hand beside the migrations; a column added there is added here. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type RoleValue = 'owner' | 'admin' | 'member';

export interface InstanceTable {
  id: Generated<boolean>;
  setup_completed_at: Generated<Date>;
}

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  slug: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  instance_admin: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MembershipsTable {
  organization_id: string;
  user_id: string;
  role: RoleValue;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  role: 'admin' | 'member';
  token_hash: string;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  organization_id: string | null;
  actor_user_id: string | null;
  action: string;
  target: string | null;
  details: ColumnType<Record<string, unknown>, Record<string, unknown> | string | undefined, never>;
  created_at: CreatedAt;
}

export interface ProviderAppsTable {
  provider: string;
  client_id: string;
  client_secret_enc: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type ConnectionStatusValue = 'active' | 'needs_reconnect' | 'disconnected';

export interface ConnectionsTable {
  id: Generated<string>;
  organization_id: string;
  provider: string;
  status: ConnectionStatusValue;
  status_reason: string | null;
  method: 'oauth' | 'personal_token';
  account: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  external_account_id: string | null;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_expires_at: NullableTimestamp;
  refresh_token_issued_at: NullableTimestamp;
  last_refreshed_at: NullableTimestamp;
  /** Passing refresh failures in a row (network, timeout, 429, 5xx) and the time of the last: the refresh job backs off. */
  refresh_failures: ColumnType<number, number | undefined, number>;
  refresh_failed_at: NullableTimestamp;
  /** When its last disconnect deleted its synced data (null: that disconnect kept it); the analytics skip it while disconnected. */
  data_deleted_at: NullableTimestamp;
  connected_at: NullableTimestamp;
  connected_by_user_id: string | null;
  connected_by_name: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ConnectInvitationsTable {
  id: Generated<string>;
  organization_id: string;
  provider: string;
  email: string;
  note: string | null;
  token_hash: string;
  invited_by: string | null;
  invited_by_name: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface OauthRequestsTable {
  state_hash: string;
  organization_id: string;
  provider: string;
  session_token_hash: string | null;
  connect_invitation_id: string | null;
  user_id: string | null;
  code_verifier_enc: string | null;
  redirect_uri: string;
  return_to: string;
  replace_account: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

type Json = ColumnType<unknown, string, string>;

export interface SyncRecordsTable {
  connection_id: string;
  stream: string;
  external_id: string;
  organization_id: string;
  parent_id: string | null;
  data: Json;
  hash: string;
  first_seen_at: CreatedAt;
  last_seen_at: Timestamp;
  deleted_at: NullableTimestamp;
  /** When the content last changed (null: stored before this was recorded, unchanged since). */
  changed_at: ColumnType<Date | null, Date | string | undefined, Date | string>;
}

export interface SyncCheckpointsTable {
  connection_id: string;
  stream: string;
  partition: string;
  next_url: string | null;
  cursor: string | null;
  pass_cursor: string | null;
  pass_started_at: NullableTimestamp;
  last_complete_pass_at: NullableTimestamp;
  updated_at: Timestamp;
}

export type SyncRunStatus = 'running' | 'succeeded' | 'failed' | 'paused';

export interface SyncRunsTable {
  id: Generated<string>;
  organization_id: string;
  connection_id: string;
  trigger: string;
  status: SyncRunStatus;
  full_refresh: ColumnType<boolean, boolean | undefined, boolean>;
  streams: ColumnType<string[], string[] | undefined, string[]>;
  started_at: CreatedAt;
  heartbeat_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: NullableTimestamp;
  pages: ColumnType<number, number | undefined, number>;
  requests: ColumnType<number, number | undefined, number>;
  records_added: ColumnType<number, number | undefined, number>;
  records_updated: ColumnType<number, number | undefined, number>;
  records_deleted: ColumnType<number, number | undefined, number>;
  retries: ColumnType<number, number | undefined, number>;
  rate_limit_waits: ColumnType<number, number | undefined, number>;
  rate_limit_wait_ms: ColumnType<number, number | undefined, number>;
  quarantined: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<unknown, string | undefined, string>;
  error_code: string | null;
  error_message: string | null;
  worker: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SyncSchedulesTable {
  connection_id: string;
  activity_every_minutes: ColumnType<number, number | undefined, number>;
  billing_every_minutes: ColumnType<number, number | undefined, number>;
  last_activity_at: NullableTimestamp;
  last_billing_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SimulatedProvidersTable {
  provider: string;
  endpoints: ColumnType<unknown, string, string>;
  client_id: string;
  client_secret_enc: string;
  started_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SyncQuarantineTable {
  id: Generated<number>;
  connection_id: string;
  run_id: string | null;
  stream: string;
  external_id: string | null;
  reason: string;
  data: ColumnType<unknown, string | null, string | null>;
  created_at: CreatedAt;
}

export interface RateEventsTable {
  key: string;
  connection_id: string | null;
  at: CreatedAt;
}

export interface ProviderHealthTable {
  id: Generated<number>;
  provider: string;
  connection_id: string | null;
  kind: string;
  detail: string;
  created_at: CreatedAt;
}

export interface AppAccountsTable {
  connection_id: string;
  external_id: string;
  organization_id: string;
  name: string | null;
  email: string | null;
  nickname: string | null;
  role: string | null;
  /** When the email came from an admin's member-list import (then syncs keep it); null: from the provider. */
  email_imported_at: NullableTimestamp;
  first_seen_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface ActivityEventsTable {
  connection_id: string;
  stream: string;
  external_id: string;
  account_id: string;
  day: ColumnType<string, string, string>;
  feature: string;
  count: number;
}

export interface ActivityFactsView {
  organization_id: string;
  connection_id: string;
  app: string;
  account_id: string;
  day: string;
  feature: string;
  count: number;
}

/** Analytics (migration 202611230100_analytics): rollups, people directory, app settings, insights. */
type Day = ColumnType<string, string, string>;
type NullableDay = ColumnType<string | null, string | null | undefined, string | null>;
/** numeric: read as a decimal string (exact money), written from a string. */
type Numeric = ColumnType<string, string, string>;
type NullableNumeric = ColumnType<string | null, string | null | undefined, string | null>;

export interface ActivityDailyTable {
  connection_id: string;
  account_id: string;
  day: Day;
  feature: string;
  count: number;
  events: number;
}

export interface ActivityDirtyTable {
  connection_id: string;
  account_id: string;
  day: Day;
}

export interface AppSettingsTable {
  connection_id: string;
  organization_id: string;
  plan_name: string | null;
  price_per_seat: NullableNumeric;
  seat_count_override: number | null;
  renewal_date: NullableDay;
  contract_value: NullableNumeric;
  inactivity_threshold_days: ColumnType<number, number | undefined, number>;
  updated_at: NullableTimestamp;
  updated_by: string | null;
}

export interface AnalyticsAccountsTable {
  connection_id: string;
  account_id: string;
  organization_id: string;
  seat: ColumnType<boolean, boolean | undefined, boolean>;
  departed: ColumnType<boolean, boolean | undefined, boolean>;
  role: string | null;
  last_accessed_at: NullableTimestamp;
  two_step: boolean | null;
  first_day: NullableDay;
  last_day: NullableDay;
  last_nonbasic_day: NullableDay;
  /** The account's most recent active days (at most 8), newest first. */
  recent_days: ColumnType<string[], string[] | undefined, string[]>;
}

export interface AppDailyActiveTable {
  connection_id: string;
  day: Day;
  active1: number;
  active7: number;
  active30: number;
  active90: number;
}

export interface AppWeeklyFeaturesTable {
  connection_id: string;
  week: Day;
  feature: string;
  users: number;
  count: number;
}

export interface SpendMonthlyTable {
  connection_id: string;
  organization_id: string;
  month: Day;
  product: string;
  project: ColumnType<string, string | undefined, string>;
  source: 'invoice' | 'preview' | 'seats';
  amount: Numeric;
}

export interface CloudResourcesTable {
  connection_id: string;
  resource_id: string;
  organization_id: string;
  type: string;
  name: string;
  region: string | null;
  project: string | null;
  size: string | null;
  created_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  monthly_cost: NullableNumeric;
  cost_source: 'invoice' | 'list_price' | null;
  usage: ColumnType<Record<string, unknown>, string | undefined, string>;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface PeopleTable {
  id: Generated<string>;
  organization_id: string;
  display_name: string;
  primary_email: string | null;
  edited: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_day: NullableDay;
  active_until: NullableDay;
  accounts: ColumnType<number, number | undefined, number>;
  seats: ColumnType<number, number | undefined, number>;
  departed: ColumnType<boolean, boolean | undefined, boolean>;
  link_confidence: ColumnType<number, number | undefined, number>;
}

export interface AppFeatureWindowsTable {
  connection_id: string;
  window_days: number;
  feature: string;
  users: number;
  count: number;
  as_of: Day;
}

export type LinkMethodValue = 'email' | 'manual' | 'confirmed' | 'own';

export interface PersonAccountsTable {
  connection_id: string;
  account_id: string;
  organization_id: string;
  person_id: string;
  method: LinkMethodValue;
  confidence: ColumnType<number, number | undefined, number>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export interface LinkProposalsTable {
  connection_id: string;
  account_id: string;
  person_id: string;
  organization_id: string;
  confidence: number;
  reason: string;
  status: ColumnType<'open' | 'rejected', 'open' | 'rejected' | undefined, 'open' | 'rejected'>;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export type InsightStateValue = 'open' | 'dismissed' | 'snoozed' | 'resolved';

export interface InsightsTable {
  id: Generated<string>;
  organization_id: string;
  connection_id: string | null;
  key: string;
  kind: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  summary: string;
  subject_type: string;
  subject_id: string;
  subject_name: string;
  evidence: ColumnType<Array<{ label: string; value: string }>, string | undefined, string>;
  saving: NullableNumeric;
  state: ColumnType<InsightStateValue, InsightStateValue | undefined, InsightStateValue>;
  state_note: string | null;
  state_changed_by: string | null;
  state_changed_at: NullableTimestamp;
  snoozed_until: NullableDay;
  current: ColumnType<boolean, boolean | undefined, boolean>;
  first_seen_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AnalyticsStateTable {
  connection_id: string;
  organization_id: string;
  computed_at: Timestamp;
  duration_ms: number;
  fingerprints: ColumnType<Record<string, string>, string | undefined, string>;
}

/** Migration 202611231300_analytics_versions: what the analytics API's answers are cached against. */
export interface AnalyticsVersionsTable {
  organization_id: string;
  version: ColumnType<string, string | number, string | number>;
  changed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AccountFeatureLastTable {
  connection_id: string;
  account_id: string;
  feature: string;
  last_day: Day;
}

export interface AppFeatureDailyTable {
  connection_id: string;
  day: Day;
  feature: string;
  count: number;
}

export interface AppStatsTable {
  connection_id: string;
  as_of: Day;
  seats: number;
  active7: number;
  active30: number;
  active90: number;
  engaged: number;
  few_features: number;
  lapsing: number;
  inactive: number;
  never_active: number;
}

/** Migration 202611241210_droplet_metric_days: typed copy of the last 30 days of droplet monitoring records. */
export interface DropletMetricDaysTable {
  connection_id: string;
  stream: string;
  external_id: string;
  droplet: string | null;
  day: Day;
  hash: string;
  samples: number | null;
  cpu_avg: number | null;
  cpu_p95: number | null;
  bytes: number | null;
  memory_used_avg: number | null;
}

/** Migration 202611241220_analytics_read_paths: live cloud resources per app and type, counted by the recompute. */
export interface AppResourceCountsTable {
  connection_id: string;
  type: string;
  alive: number;
}

export interface DB {
  sync_records: SyncRecordsTable;
  sync_checkpoints: SyncCheckpointsTable;
  sync_runs: SyncRunsTable;
  sync_quarantine: SyncQuarantineTable;
  sync_schedules: SyncSchedulesTable;
  simulated_providers: SimulatedProvidersTable;
  rate_events: RateEventsTable;
  provider_health: ProviderHealthTable;
  app_accounts: AppAccountsTable;
  activity_events: ActivityEventsTable;
  activity_facts: ActivityFactsView;
  activity_daily: ActivityDailyTable;
  activity_dirty: ActivityDirtyTable;
  app_settings: AppSettingsTable;
  analytics_accounts: AnalyticsAccountsTable;
  app_daily_active: AppDailyActiveTable;
  app_weekly_features: AppWeeklyFeaturesTable;
  spend_monthly: SpendMonthlyTable;
  cloud_resources: CloudResourcesTable;
  people: PeopleTable;
  person_accounts: PersonAccountsTable;
  link_proposals: LinkProposalsTable;
  insights: InsightsTable;
  analytics_state: AnalyticsStateTable;
  analytics_versions: AnalyticsVersionsTable;
  app_feature_windows: AppFeatureWindowsTable;
  account_feature_last: AccountFeatureLastTable;
  app_feature_daily: AppFeatureDailyTable;
  app_stats: AppStatsTable;
  droplet_metric_days: DropletMetricDaysTable;
  app_resource_counts: AppResourceCountsTable;
  provider_apps: ProviderAppsTable;
  connections: ConnectionsTable;
  connect_invitations: ConnectInvitationsTable;
  oauth_requests: OauthRequestsTable;
  instance: InstanceTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
}
