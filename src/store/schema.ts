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

export interface DB {
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
