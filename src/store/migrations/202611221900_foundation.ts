import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table instance (
      id boolean primary key default true check (id),
      setup_completed_at timestamptz not null default now()
    );

    create table organizations (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      slug text not null unique,
      created_at timestamptz not null default now()
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null,
      password_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index users_email_key on users (lower(email));

    create table memberships (
      organization_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      role text not null check (role in ('owner', 'admin', 'member')),
      created_at timestamptz not null default now(),
      primary key (organization_id, user_id)
    );
    create index memberships_user_idx on memberships (user_id);

    -- The cookie holds a random token; only its SHA-256 is stored, so a database dump opens no session.
    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index sessions_user_idx on sessions (user_id);
    create index sessions_expires_idx on sessions (expires_at);

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      email text not null,
      role text not null check (role in ('admin', 'member')),
      token_hash text not null unique,
      invited_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references users(id) on delete set null,
      revoked_at timestamptz
    );
    create index invitations_org_idx on invitations (organization_id, created_at desc);

    -- Failed logins per account and per address, shared by every Tally process.
    create table login_throttle (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null,
      locked_until timestamptz
    );

    create table audit_log (
      id bigserial primary key,
      organization_id uuid references organizations(id) on delete cascade,
      actor_user_id uuid references users(id) on delete set null,
      action text not null,
      target text,
      details jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index audit_log_org_idx on audit_log (organization_id, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log, login_throttle, invitations, sessions, memberships, users, organizations, instance`.execute(db);
}
