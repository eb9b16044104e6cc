import { sql, type Kysely } from 'kysely';

/**
 * A per-organization number that changes whenever what the analytics API shows may have changed: the
 * dashboard's answers are cached against it (src/analytics/cache.ts), in every Tally process sharing this
 * database. Admin writes bump it from the code once they committed. Writers outside the analytics code
 * bump it from triggers, in their own transaction: a recompute (it always ends by saving analytics_state,
 * whoever calls it), a connection added, removed or changing status, a sync run starting or ending.
 *
 * The triggers are deferred constraint triggers: they run at commit, so the version row is locked only for
 * the moment of the commit and always after every other lock of the transaction (no deadlock with the
 * activity locks a sync page or a recompute holds).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table analytics_versions (
      organization_id uuid primary key references organizations(id) on delete cascade,
      version bigint not null,
      changed_at timestamptz not null default now()
    );

    create function bump_analytics_version(org uuid) returns void language sql as $$
      -- An organization deleted in the same transaction (its connections cascade) has nothing left to cache.
      insert into analytics_versions as v (organization_id, version)
        select org, 1 where exists (select 1 from organizations where id = org)
      on conflict (organization_id) do update set version = v.version + 1, changed_at = now();
    $$;

    create function analytics_changed() returns trigger language plpgsql as $$
    begin
      perform bump_analytics_version(case when tg_op = 'DELETE' then old.organization_id else new.organization_id end);
      return null;
    end $$;

    create constraint trigger analytics_state_changed after insert or update on analytics_state
      deferrable initially deferred for each row execute function analytics_changed();
    create constraint trigger connections_changed after insert or delete or update of status, account, organization_id on connections
      deferrable initially deferred for each row execute function analytics_changed();
    -- Counters move with every page: only a run starting, ending or going away shows on the dashboard.
    create constraint trigger sync_runs_changed after insert or delete or update of status on sync_runs
      deferrable initially deferred for each row execute function analytics_changed();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger sync_runs_changed on sync_runs;
    drop trigger connections_changed on connections;
    drop trigger analytics_state_changed on analytics_state;
    drop function analytics_changed();
    drop function bump_analytics_version(uuid);
    drop table analytics_versions;
  `.execute(db);
}
