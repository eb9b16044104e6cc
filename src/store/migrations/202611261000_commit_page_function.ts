import { sql, type Kysely } from 'kysely';
import { up as recordPageActivity } from './202611231410_record_activity_function.ts';

/**
 * A synced page committed by one statement (src/sync/store.ts), which also makes it one transaction:
 *
 * - `sync_records.changed_at`: when a record's content last changed (its hash moved, or it came back after
 *   being marked deleted). The upsert returns it, so the page learns which records were added, changed or
 *   the same from the upsert itself. The lookup of the page's ids it replaces followed the table's
 *   statistics, which lag behind a first sync, and then read every stored record of the stream for every
 *   page (41,684 rows for a page of 100 at 4% of a full sync).
 * - `sync_commit_page`: records, quarantine, checkpoint, then, under the connection's rollup lock, the old
 *   events of changed records out, the new ones in and the app accounts upserted. One round trip instead of
 *   four (begin, records, activity, commit), and the rollup lock, which the pages of one connection take in
 *   turn, is held only while the server works: before, it was held across a round trip to the client.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Added without a default first, so the records already stored keep null, not the migration's time.
    alter table sync_records add column changed_at timestamptz;
    alter table sync_records alter column changed_at set default now();

    create function sync_commit_page(
      p_connection uuid, p_organization uuid, p_run uuid, p_stream text, p_partition text,
      p_records jsonb, p_quarantined jsonb, p_events jsonb, p_accounts jsonb,
      p_next_url text, p_cursor text, p_pass_cursor text, p_pass_started_at timestamptz, p_last_complete_pass_at timestamptz,
      p_seen_at timestamptz, p_rewrite_unchanged boolean,
      out added integer, out updated integer)
    language plpgsql as $$
    declare
      v_derive text[];
      v_stale text[];
    begin
      -- A page is atomic with its checkpoint, so a crash that loses the last commits (not yet flushed to
      -- disk) only means those pages are read again: the commit need not wait for the disk.
      perform set_config('synchronous_commit', 'off', true);
      -- The connection's row first, before any of its rows, as every writer of a connection's data takes it
      -- (a completed pass, a disconnect deleting the data): none can then wait for another crosswise. It is
      -- checked once, when the checkpoint is written (migration 202611261100: it must exist and be active),
      -- not for each record and event.
      perform 1 from connections where id = p_connection for key share;

      -- Added: inserted by this transaction (first_seen_at is its start); changed: changed_at moved now.
      with upserted as (
        insert into sync_records as s (connection_id, stream, external_id, organization_id, parent_id, data, hash, last_seen_at, deleted_at)
          select p_connection, p_stream, r.id, p_organization, nullif(p_partition, ''), r.data, r.hash, p_seen_at, null
          from jsonb_to_recordset(p_records) as r(id text, hash text, data jsonb)
        on conflict (connection_id, stream, external_id) do update set
          -- unchanged content keeps its stored value (no new TOAST value)
          data = case when s.hash = excluded.hash then s.data else excluded.data end,
          changed_at = case when s.hash = excluded.hash and s.deleted_at is null then s.changed_at else now() end,
          hash = excluded.hash, parent_id = excluded.parent_id, last_seen_at = excluded.last_seen_at, deleted_at = null
        returning s.external_id, s.first_seen_at = now() as is_new, coalesce(s.changed_at = now(), false) as is_changed
      )
      select count(*) filter (where is_new), count(*) filter (where is_changed and not is_new),
        -- events derive from the record: rewritten for new and changed records, or all (a full sync)
        coalesce(array_agg(external_id) filter (where is_new or is_changed or p_rewrite_unchanged), '{}'),
        coalesce(array_agg(external_id) filter (where not is_new and (is_changed or p_rewrite_unchanged)), '{}')
      into added, updated, v_derive, v_stale
      from upserted;

      if jsonb_array_length(p_quarantined) > 0 then
        insert into sync_quarantine (connection_id, run_id, stream, external_id, reason, data)
          select p_connection, p_run, p_stream, q.id, q.reason, q.data
          from jsonb_to_recordset(p_quarantined) as q(id text, reason text, data jsonb);
      end if;

      insert into sync_checkpoints (connection_id, stream, partition, next_url, cursor, pass_cursor, pass_started_at, last_complete_pass_at, updated_at)
        values (p_connection, p_stream, p_partition, p_next_url, p_cursor, p_pass_cursor, p_pass_started_at, p_last_complete_pass_at, now())
        on conflict (connection_id, stream, partition) do update set
          next_url = excluded.next_url, cursor = excluded.cursor, pass_cursor = excluded.pass_cursor,
          pass_started_at = excluded.pass_started_at, last_complete_pass_at = excluded.last_complete_pass_at, updated_at = excluded.updated_at;

      if cardinality(v_stale) = 0 and (cardinality(v_derive) = 0 or jsonb_array_length(p_events) = 0) and jsonb_array_length(p_accounts) = 0 then
        return;
      end if;
      -- The lock the activity_events triggers and the analytics recompute take, first, so two pages of one
      -- connection can never hold each other's account rows and rollup rows crosswise (which deadlocked).
      perform pg_advisory_xact_lock(hashtext('activity:' || p_connection::text));
      if cardinality(v_stale) > 0 then
        delete from activity_events where connection_id = p_connection and stream = p_stream and external_id = any(v_stale);
      end if;
      if cardinality(v_derive) > 0 and jsonb_array_length(p_events) > 0 then
        insert into activity_events (connection_id, stream, external_id, account_id, day, feature, count)
          select p_connection, p_stream, e.x, e.a, e.d::date, e.f, e.n
          from jsonb_to_recordset(p_events) as e(x text, a text, d text, f text, n integer)
          where e.x = any(v_derive)
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

    drop function record_page_activity(uuid, uuid, text, text[], jsonb, jsonb, timestamptz);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function sync_commit_page(uuid, uuid, uuid, text, text, jsonb, jsonb, jsonb, jsonb, text, text, text, timestamptz, timestamptz, timestamptz, boolean);
    alter table sync_records drop column changed_at;
  `.execute(db);
  await recordPageActivity(db);
}
