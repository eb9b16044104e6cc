import { sql, type Kysely } from 'kysely';

/**
 * The activity half of committing a synced page (src/sync/store.ts) in one round trip and in one fixed
 * order: the connection's rollup lock first (the same lock the activity_events triggers and the analytics
 * recompute take), then the old events of changed records out, the new events in, the app accounts
 * upserted. Pages of several partitions commit at once; taking the lock first means two of them can never
 * hold each other's account rows and rollup lock crosswise (which deadlocked).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function record_page_activity(p_connection uuid, p_organization uuid, p_stream text, p_stale text[], p_events jsonb, p_accounts jsonb, p_seen_at timestamptz)
      returns void language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(hashtext('activity:' || p_connection::text));
      if coalesce(array_length(p_stale, 1), 0) > 0 then
        delete from activity_events where connection_id = p_connection and stream = p_stream and external_id = any(p_stale);
      end if;
      if jsonb_array_length(p_events) > 0 then
        insert into activity_events (connection_id, stream, external_id, account_id, day, feature, count)
          select p_connection, p_stream, e.x, e.a, e.d::date, e.f, e.n
          from jsonb_to_recordset(p_events) as e(x text, a text, d text, f text, n integer)
          -- Events left behind by a record removed outside the engine are taken over, not a duplicate-key failure.
          on conflict (connection_id, stream, external_id, account_id, day, feature) do update set count = excluded.count;
      end if;
      if jsonb_array_length(p_accounts) > 0 then
        insert into app_accounts as a (connection_id, organization_id, external_id, name, email, nickname, role, last_seen_at)
          select p_connection, p_organization, n.id, n.name, n.email, n.nickname, n.role, p_seen_at
          from jsonb_to_recordset(p_accounts) as n(id text, name text, email text, nickname text, role text)
          on conflict (connection_id, external_id) do update set
            -- A commit author's raw email fills in what a member listing (no emails) lacks, and never erases one;
            -- an email an admin imported (src/connections/member-emails.ts) stays whatever commits say.
            name = coalesce(excluded.name, a.name),
            email = case when a.email_imported_at is not null then a.email else coalesce(excluded.email, a.email) end,
            nickname = coalesce(excluded.nickname, a.nickname),
            role = coalesce(excluded.role, a.role),
            last_seen_at = excluded.last_seen_at;
      end if;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function record_page_activity(uuid, uuid, text, text[], jsonb, jsonb, timestamptz)`.execute(db);
}
