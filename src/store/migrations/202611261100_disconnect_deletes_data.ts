import { sql, type Kysely } from 'kysely';

/**
 * Disconnect → "Delete synced data" (src/connections/synced-data.ts):
 *
 * - `connections.data_deleted_at`: when the connection's last disconnect deleted what Tally had synced from
 *   it (null when that disconnect kept it). While it stays disconnected, the analytics neither show nor
 *   recompute it: it has nothing left to show, and a recompute would write empty rollups for it again.
 * - A sync page or a completed pass is saved only while its connection is active. Both write the stream's
 *   checkpoint (sync_commit_page, store.ts completePass), so one check per page on that row covers them: the
 *   connection row is read `for key share`, held to the commit. A disconnect takes the row `for update`
 *   before it deletes the connection's data, so either the page commits first (and its rows are deleted
 *   with the rest) or it waits and then finds the connection disconnected: the whole page is rolled back,
 *   and the engine stops the run with this message (errcode TL001, src/sync/inactive.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table connections add column data_deleted_at timestamptz;

    -- Also called by the engine between streams (src/sync/inactive.ts), so the refusal has one wording.
    create function connection_must_be_active(p_connection uuid) returns void language plpgsql as $$
    declare v_status text;
    begin
      select status into v_status from connections where id = p_connection for key share;
      if v_status is distinct from 'active' then
        raise exception 'Tally stopped syncing this connection: it %, so nothing more is saved for it. Reconnect it on the Connections page to sync again.',
          case v_status when 'disconnected' then 'was disconnected' when 'needs_reconnect' then 'needs Reconnect' else 'no longer exists' end
          using errcode = 'TL001';
      end if;
    end $$;

    create function sync_checkpoints_connection_active() returns trigger language plpgsql as $$
    begin
      perform connection_must_be_active(new.connection_id);
      return new;
    end $$;
    -- Before insert only: an upsert fires it before its conflict is found, so every write of a checkpoint passes here.
    create trigger sync_checkpoints_connection_active before insert on sync_checkpoints
      for each row execute function sync_checkpoints_connection_active();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger sync_checkpoints_connection_active on sync_checkpoints;
    drop function sync_checkpoints_connection_active();
    drop function connection_must_be_active(uuid);
    alter table connections drop column data_deleted_at;
  `.execute(db);
}
