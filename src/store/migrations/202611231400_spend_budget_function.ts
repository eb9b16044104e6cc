import { sql, type Kysely } from 'kysely';

/**
 * Spending request budget (src/http-client/budget.ts) in one round trip: lock the rules' keys, count the
 * requests in their windows, and either record one request per rule or say how long to wait. Before, a
 * request cost six to eight round trips of its own, as many as committing the page it fetched.
 * Windows are measured on the database's clock, the one that stamps `rate_events.at`.
 *
 * `rate_events` becomes unlogged: a request then commits without waiting for the WAL to reach the disk
 * (it used to wait for an fsync per API request). A PostgreSQL crash empties the table, so for the hour
 * after one Tally may spend up to a window's budget again; the providers' own 429s (obeyed) cover that.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table rate_events set unlogged;
    create function spend_request_budget(p_keys text[], p_limits integer[], p_windows_ms bigint[], p_shared boolean[], p_connection uuid)
      returns table (wait_ms bigint, rule_index integer) language plpgsql as $$
    declare
      i integer;
      n integer := coalesce(array_length(p_keys, 1), 0);
      total integer;
      mine integer;
      sharers integer;
      oldest timestamptz;
      win interval;
    begin
      -- One lock order for every caller (the keys come sorted): no deadlocks.
      for i in 1..n loop
        perform pg_advisory_xact_lock(hashtext(p_keys[i]));
      end loop;
      for i in 1..n loop
        win := make_interval(secs => p_windows_ms[i] / 1000.0);
        select count(*), count(*) filter (where connection_id = p_connection), count(distinct connection_id), min(at)
          into total, mine, sharers, oldest
          from rate_events where key = p_keys[i] and at > clock_timestamp() - win;
        if total >= p_limits[i] then
          wait_ms := greatest(50, ceil(extract(epoch from coalesce(oldest, clock_timestamp()) + win - clock_timestamp()) * 1000));
          rule_index := i - 1;
          return next;
          return;
        end if;
        -- A shared pool half spent: a connection past its fair share waits for one request's worth per sharer.
        if p_shared[i] and total >= p_limits[i] / 2.0 then
          sharers := greatest(1, sharers + case when mine = 0 then 1 else 0 end);
          if mine >= p_limits[i]::numeric / sharers then
            wait_ms := ceil(p_windows_ms[i]::numeric / p_limits[i]) * sharers;
            rule_index := i - 1;
            return next;
            return;
          end if;
        end if;
      end loop;
      insert into rate_events (key, connection_id) select k, p_connection from unnest(p_keys) as k;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function spend_request_budget(text[], integer[], bigint[], boolean[], uuid); alter table rate_events set logged`.execute(db);
}
