import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One OAuth app per provider for this Tally instance, entered on the settings page (env values win).
    create table provider_apps (
      provider text primary key,
      client_id text not null,
      client_secret_enc text not null,
      updated_by uuid references users(id) on delete set null,
      updated_at timestamptz not null default now()
    );

    create table connections (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      provider text not null,
      status text not null check (status in ('active', 'needs_reconnect', 'disconnected')),
      status_reason text,
      method text not null check (method in ('oauth', 'personal_token')),
      account jsonb,
      external_account_id text,
      scopes text[] not null default '{}',
      access_token_enc text,
      refresh_token_enc text,
      access_expires_at timestamptz,
      refresh_token_issued_at timestamptz,
      last_refreshed_at timestamptz,
      connected_at timestamptz,
      connected_by_user_id uuid references users(id) on delete set null,
      connected_by_name text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organization_id, provider)
    );
    create index connections_refresh_idx on connections (access_expires_at) where status = 'active' and refresh_token_enc is not null;

    create table connect_invitations (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      provider text not null,
      email text not null,
      note text,
      token_hash text not null unique,
      invited_by uuid references users(id) on delete set null,
      invited_by_name text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz
    );
    create index connect_invitations_org_idx on connect_invitations (organization_id, created_at desc);

    -- An authorization in flight: the state (hashed) binds the provider's answer to the browser session
    -- (or the connect-invitation) that started it. Single use, 10 minutes.
    create table oauth_requests (
      state_hash text primary key,
      organization_id uuid not null references organizations(id) on delete cascade,
      provider text not null,
      session_token_hash text,
      connect_invitation_id uuid references connect_invitations(id) on delete cascade,
      user_id uuid references users(id) on delete cascade,
      code_verifier_enc text,
      redirect_uri text not null,
      return_to text not null,
      replace_account boolean not null default false,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table oauth_requests, connect_invitations, connections, provider_apps`.execute(db);
}
