import { sql, type Kysely } from 'kysely';

/**
 * The sync engine commits pages of several partitions (repositories) of one connection at once, and their
 * activity lands on the same (account, day, feature) rows of activity_daily: upserting them in different
 * orders deadlocked. The triggers now take a per-connection transaction lock first, so page commits of one
 * connection update the rollup one after the other (fetching still runs in parallel); the analytics
 * recompute takes the same lock (src/analytics/index.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function activity_events_added() returns trigger language plpgsql as $$
    declare c uuid;
    begin
      for c in select distinct connection_id from added order by 1 loop
        perform pg_advisory_xact_lock(hashtext('activity:' || c::text));
      end loop;
      insert into activity_daily as d (connection_id, account_id, day, feature, count, events)
        select connection_id, account_id, day, feature, sum(count), count(*) from added group by 1, 2, 3, 4 order by 1, 2, 3, 4
        on conflict (connection_id, account_id, day, feature)
        do update set count = d.count + excluded.count, events = d.events + excluded.events;
      insert into activity_dirty select distinct connection_id, account_id, day from added order by 1, 2, 3 on conflict do nothing;
      return null;
    end $$;

    create or replace function activity_events_removed() returns trigger language plpgsql as $$
    declare c uuid;
    begin
      for c in select distinct connection_id from removed order by 1 loop
        perform pg_advisory_xact_lock(hashtext('activity:' || c::text));
      end loop;
      with r as (select connection_id, account_id, day, feature, sum(count) as count, count(*) as events from removed group by 1, 2, 3, 4)
      update activity_daily d set count = d.count - r.count, events = d.events - r.events
        from r where (d.connection_id, d.account_id, d.day, d.feature) = (r.connection_id, r.account_id, r.day, r.feature);
      delete from activity_daily d using (select distinct connection_id, account_id, day, feature from removed) r
        where (d.connection_id, d.account_id, d.day, d.feature) = (r.connection_id, r.account_id, r.day, r.feature) and d.events <= 0;
      insert into activity_dirty select distinct connection_id, account_id, day from removed order by 1, 2, 3 on conflict do nothing;
      return null;
    end $$;
  `.execute(db);
}

export async function down(): Promise<void> {
  // The earlier functions (202611230100_analytics) deadlock under parallel page commits: not restored.
}
