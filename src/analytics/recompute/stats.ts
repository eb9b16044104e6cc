import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays } from '../dates.ts';
import { usageLevelSql } from '../levels.ts';

/**
 * An app's seats, active seats over 7/30/90 days and usage levels as of `today`, kept for the apps list and
 * the overview (they read it when it is today's, and count live otherwise).
 */
export async function refreshAppStats(db: Database, connectionIds: string[], today: string): Promise<void> {
  if (!connectionIds.length) return;
  const since = (days: number) => addDays(today, -(days - 1));
  await sql`
    insert into app_stats as s (connection_id, as_of, seats, active7, active30, active90, engaged, few_features, lapsing, inactive, never_active)
    select c.id, ${today}::date, count(a.level), count(*) filter (where a.last_day >= ${since(7)}::date), count(*) filter (where a.last_day >= ${since(30)}::date),
           count(*) filter (where a.last_day >= ${since(90)}::date), count(*) filter (where level = 'engaged'), count(*) filter (where level = 'few_features'),
           count(*) filter (where level = 'lapsing'), count(*) filter (where level = 'inactive'), count(*) filter (where level = 'never_active')
    from unnest(${connectionIds}::uuid[]) as c(id)
    -- An app with no seats still gets its row of zeros.
    left join lateral (select a.last_day, ${usageLevelSql(today, sql`coalesce(st.inactivity_threshold_days, 60)`)} as level
          from analytics_accounts a left join app_settings st on st.connection_id = a.connection_id
          where a.connection_id = c.id and a.seat) a on true
    group by c.id
    on conflict (connection_id) do update set as_of = excluded.as_of, seats = excluded.seats, active7 = excluded.active7, active30 = excluded.active30,
      active90 = excluded.active90, engaged = excluded.engaged, few_features = excluded.few_features, lapsing = excluded.lapsing,
      inactive = excluded.inactive, never_active = excluded.never_active`.execute(db);
}

/**
 * A fingerprint of the synced records of some streams (their content hashes and deletions): a step whose
 * fingerprint (with its other inputs) did not change since the last recompute is skipped. Streams that only
 * grow (invoice items, monitoring days) are summarised by count and newest row, monitoring days only
 * within the last `metricDays`, so the fingerprint does not cost more as history accumulates.
 */
export async function fingerprint(db: Database, connectionId: string, streams: string[], today?: string): Promise<string> {
  const hashed = streams.filter((x) => !GROWING.includes(x) && !METRICS.includes(x));
  const growing = streams.filter((x) => GROWING.includes(x));
  const metrics = streams.filter((x) => METRICS.includes(x));
  const r = await sql<{ h: string | null; g: string | null; m: string | null }>`
    select
      (select md5(string_agg(stream || external_id || hash || coalesce(deleted_at::text, ''), ',' order by stream, external_id))
         from sync_records where connection_id = ${connectionId} and stream = any(${hashed}::text[])) as h,
      (select string_agg(x, ',') from (select stream || count(*) || max(first_seen_at)::text || coalesce(max(deleted_at)::text, '') as x
         from sync_records where connection_id = ${connectionId} and stream = any(${growing}::text[]) group by stream order by stream) g) as g,
      (select md5(string_agg(stream || external_id || hash, ',' order by stream, external_id)) from sync_records
         where connection_id = ${connectionId} and stream in ('droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics')
           and stream = any(${metrics}::text[]) and data->>'day' >= ${today ? addDays(today, -METRIC_DAYS) : '9999'}) as m`.execute(db);
  const row = r.rows[0]!;
  return `${row.h ?? '-'}:${row.g ?? '-'}:${row.m ?? '-'}`;
}

const GROWING = ['invoice_items'];
const METRICS = ['droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics'];
const METRIC_DAYS = 31;
