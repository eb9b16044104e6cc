import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- How often each connection syncs, and when each group of streams was last put in the queue.
    create table sync_schedules (
      connection_id uuid primary key references connections(id) on delete cascade,
      activity_every_minutes integer not null default 60 check (activity_every_minutes between 15 and 10080),
      billing_every_minutes integer not null default 1440 check (billing_every_minutes between 60 and 10080),
      last_activity_at timestamptz,
      last_billing_at timestamptz,
      updated_at timestamptz not null default now()
    );

    -- Which process runs a sync (host:pid): on the same host a dead pid frees the connection at once,
    -- elsewhere the heartbeat running late does.
    alter table sync_runs add column worker text;

    -- The simulators a 'tally serve' started (the demo), so that workers and the CLI in other processes
    -- reach the same simulated providers. Removed when that process stops.
    create table simulated_providers (
      provider text primary key,
      endpoints jsonb not null,
      client_id text not null,
      client_secret_enc text not null,
      started_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sync_runs drop column worker; drop table simulated_providers, sync_schedules`.execute(db);
}
