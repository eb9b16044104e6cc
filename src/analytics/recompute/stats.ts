import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays } from '../dates.ts';
import { usageLevelSql } from '../levels.ts';

/**
 * An app's seats, active seats over 7/30/90 days and usage levels as of `today`, kept for the apps list and
 * the overview (they read it when it is today's, and count live otherwise).
 */
export async function refreshAppStats(db: Database, connectionId: string, today: string): Promise<void> {
  const since = (days: number) => addDays(today, -(days - 1));
  await sql`
    insert into app_stats as s (connection_id, as_of, seats, active7, active30, active90, engaged, few_features, lapsing, inactive, never_active)
    select ${connectionId}, ${today}::date, count(*), count(*) filter (where a.last_day >= ${since(7)}::date), count(*) filter (where a.last_day >= ${since(30)}::date),
           count(*) filter (where a.last_day >= ${since(90)}::date), count(*) filter (where level = 'engaged'), count(*) filter (where level = 'few_features'),
           count(*) filter (where level = 'lapsing'), count(*) filter (where level = 'inactive'), count(*) filter (where level = 'never_active')
    from (select a.last_day, ${usageLevelSql(today, sql`coalesce(st.inactivity_threshold_days, 60)`)} as level
          from analytics_accounts a left join app_settings st on st.connection_id = a.connection_id
          where a.connection_id = ${connectionId} and a.seat) a
    on conflict (connection_id) do update set as_of = excluded.as_of, seats = excluded.seats, active7 = excluded.active7, active30 = excluded.active30,
      active90 = excluded.active90, engaged = excluded.engaged, few_features = excluded.few_features, lapsing = excluded.lapsing,
      inactive = excluded.inactive, never_active = excluded.never_active`.execute(db);
}

/**
 * A fingerprint of the synced records of some streams (their content hashes and deletions) plus extra
 * inputs: a step whose fingerprint did not change since the last recompute is skipped.
 */
export async function fingerprint(db: Database, connectionId: string, streams: string[], extra: unknown): Promise<string> {
  const r = await sql<{ f: string | null }>`
    select md5(string_agg(stream || external_id || hash || coalesce(deleted_at::text, ''), ',' order by stream, external_id)) as f
    from sync_records where connection_id = ${connectionId} and stream = any(${streams}::text[])`.execute(db);
  return `${r.rows[0]!.f ?? 'none'}:${JSON.stringify(extra)}`;
}
