import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Every record a stream pulled, keyed by (connection, stream, external id): upserts make re-runs change
    -- nothing; full-refresh streams mark rows not seen in a complete pass as deleted (with the time).
    create table sync_records (
      connection_id uuid not null references connections(id) on delete cascade,
      stream text not null,
      external_id text not null,
      organization_id uuid not null references organizations(id) on delete cascade,
      parent_id text,
      data jsonb not null,
      hash text not null,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (connection_id, stream, external_id)
    );
    create index sync_records_parent_idx on sync_records (connection_id, stream, parent_id);

    -- Where a stream (per parent record: "partition") stands: next page, cursor, pass start. Committed in
    -- the same transaction as the page's records, so a crash resumes from the last committed page.
    create table sync_checkpoints (
      connection_id uuid not null references connections(id) on delete cascade,
      stream text not null,
      partition text not null default '',
      next_url text,
      cursor text,
      -- the newest cursor value seen in the pass under way; it becomes the cursor when the pass completes
      pass_cursor text,
      pass_started_at timestamptz,
      last_complete_pass_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (connection_id, stream, partition)
    );

    create table sync_runs (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      connection_id uuid not null references connections(id) on delete cascade,
      trigger text not null,
      status text not null check (status in ('running', 'succeeded', 'failed', 'paused')),
      full_refresh boolean not null default false,
      streams text[] not null default '{}',
      started_at timestamptz not null default now(),
      heartbeat_at timestamptz not null default now(),
      finished_at timestamptz,
      pages integer not null default 0,
      requests integer not null default 0,
      records_added integer not null default 0,
      records_updated integer not null default 0,
      records_deleted integer not null default 0,
      retries integer not null default 0,
      rate_limit_waits integer not null default 0,
      rate_limit_wait_ms bigint not null default 0,
      quarantined integer not null default 0,
      skipped jsonb not null default '[]',
      error_code text,
      error_message text
    );
    create index sync_runs_connection_idx on sync_runs (connection_id, started_at desc);
    -- At most one running sync per connection, whatever the number of workers.
    create unique index sync_runs_one_running on sync_runs (connection_id) where status = 'running';

    create table sync_quarantine (
      id bigserial primary key,
      connection_id uuid not null references connections(id) on delete cascade,
      run_id uuid references sync_runs(id) on delete set null,
      stream text not null,
      external_id text,
      reason text not null,
      data jsonb,
      created_at timestamptz not null default now()
    );
    create index sync_quarantine_connection_idx on sync_quarantine (connection_id, created_at desc);

    -- Requests spent, one row each, for budgets with "each request on its own one-hour timer".
    create table rate_events (
      key text not null,
      connection_id uuid,
      at timestamptz not null default now()
    );
    create index rate_events_key_at_idx on rate_events (key, at);

    create table provider_health (
      id bigserial primary key,
      provider text not null,
      connection_id uuid references connections(id) on delete cascade,
      kind text not null,
      detail text not null,
      created_at timestamptz not null default now()
    );
    create index provider_health_created_idx on provider_health (provider, created_at desc);

    -- Identities inside one app, apart from the org-level people directory.
    create table app_accounts (
      connection_id uuid not null references connections(id) on delete cascade,
      external_id text not null,
      organization_id uuid not null references organizations(id) on delete cascade,
      name text,
      email text,
      nickname text,
      role text,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      primary key (connection_id, external_id)
    );

    -- What each synced record says someone (or some resource) did on a day; facts are their sums.
    create table activity_events (
      connection_id uuid not null references connections(id) on delete cascade,
      stream text not null,
      external_id text not null,
      account_id text not null,
      day date not null,
      feature text not null,
      count integer not null,
      primary key (connection_id, stream, external_id, account_id, day, feature)
    );
    create view activity_facts as
      select c.organization_id, e.connection_id, c.provider as app, e.account_id, e.day, e.feature, sum(e.count)::integer as count
      from activity_events e join connections c on c.id = e.connection_id
      group by c.organization_id, e.connection_id, c.provider, e.account_id, e.day, e.feature;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view activity_facts; drop table activity_events, app_accounts, provider_health, rate_events, sync_quarantine, sync_runs, sync_checkpoints, sync_records`.execute(db);
}
