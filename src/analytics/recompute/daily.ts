import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays, weekOf } from '../dates.ts';
import { RECENT_DAYS } from './accounts.ts';

/**
 * Accounts active over the trailing 1, 7, 30 and 90 days ending each day from `start` to `today`.
 * Each active day x of an account covers the days [x, x + W − 1] of window W, cut short where the
 * account's next active day starts its own cover: the covers never overlap, so "active on day d" is the
 * running sum of +1 at each cover's start and −1 after its end. One pass over the account-days of the
 * 90 days before `start`, whatever the number of days recomputed. People-based apps count their members
 * (current or since departed), not commit authors Bitbucket links to no account.
 */
export type DailyJob = { connectionId: string; start: string; membersOnly: boolean };

export async function refreshDailyActive(db: Database, jobs: DailyJob[], today: string): Promise<void> {
  const due = jobs.filter((j) => j.start <= today);
  const recent = due.filter((j) => j.start >= addDays(today, -(RECENT_DAYS - 2)));
  if (recent.length) await refreshRecentDailyActive(db, recent, today);
  for (const j of due) if (!recent.includes(j)) await refreshDailyActiveFrom(db, j.connectionId, j.start, today, j.membersOnly);
}

async function refreshDailyActiveFrom(db: Database, connectionId: string, start: string, today: string, membersOnly: boolean): Promise<void> {
  const lo = addDays(start, -89);
  await sql`delete from app_daily_active where connection_id = ${connectionId} and (day >= ${start}::date or day > ${today}::date)`.execute(db);
  await sql`
    with ad as (
      select distinct d.account_id, d.day from activity_daily d
      where d.connection_id = ${connectionId} and d.day between ${lo}::date and ${today}::date
        and (not ${membersOnly} or exists (select 1 from analytics_accounts a where a.connection_id = d.connection_id and a.account_id = d.account_id and (a.seat or a.departed)))
    ), nx as (
      select day, coalesce(lead(day) over (partition by account_id order by day) - 1, day + 89) as cap from ad
    ), deltas as (
      select day as at, 1 as d1, 1 as d7, 1 as d30, 1 as d90 from nx
      union all select least(cap, day) + 1, -1, 0, 0, 0 from nx
      union all select least(cap, day + 6) + 1, 0, -1, 0, 0 from nx
      union all select least(cap, day + 29) + 1, 0, 0, -1, 0 from nx
      union all select least(cap, day + 89) + 1, 0, 0, 0, -1 from nx
    ), per_day as (
      select g::date as at, coalesce(sum(x.d1), 0) as d1, coalesce(sum(x.d7), 0) as d7, coalesce(sum(x.d30), 0) as d30, coalesce(sum(x.d90), 0) as d90
      from generate_series(${lo}::date, ${today}::date, interval '1 day') g left join deltas x on x.at = g::date
      group by 1
    ), running as (
      select at, sum(d1) over w as a1, sum(d7) over w as a7, sum(d30) over w as a30, sum(d90) over w as a90
      from per_day window w as (order by at)
    )
    insert into app_daily_active (connection_id, day, active1, active7, active30, active90)
    select ${connectionId}, at, a1, a7, a30, a90 from running where at >= ${start}::date
  `.execute(db);
}

/**
 * Weekly adoption of resource features (DigitalOcean): resources of each type alive during each of the
 * last 53 weeks. Rebuilt whole: a team has hundreds of resources, not millions.
 */
export async function refreshWeeklyResources(db: Database, connectionId: string, today: string): Promise<void> {
  const fromWeek = weekOf(addDays(today, -52 * 7));
  const current = weekOf(today);
  await sql`delete from app_weekly_features where connection_id = ${connectionId}`.execute(db);
  // A resource is alive in the weeks (Mondays, UTC) from the one it was created in to the one it was
  // deleted in: +1 at the first, −1 after the last, and a running sum per type over the weeks. One pass
  // over the resources instead of every resource against every week.
  await sql`
    with spans as (
      select r.type,
             greatest(${fromWeek}::date, coalesce(date_trunc('week', r.created_at at time zone 'UTC')::date, ${fromWeek}::date)) as first,
             least(${current}::date, coalesce(date_trunc('week', r.deleted_at at time zone 'UTC')::date, ${current}::date)) as last
      from cloud_resources r where r.connection_id = ${connectionId}
    ), deltas as (
      select type, first as week, 1 as d from spans where first <= last
      union all select type, last + 7, -1 from spans where first <= last
    ), grid as (
      select t.type, w::date as week, coalesce(sum(x.d), 0) as d
      from (select distinct type from deltas) t
      cross join generate_series(${fromWeek}::date, ${current}::date, interval '7 days') w
      left join deltas x on x.type = t.type and x.week = w::date
      group by 1, 2
    ), running as (
      select type, week, sum(d) over (partition by type order by week) as alive from grid
    )
    insert into app_weekly_features (connection_id, week, feature, users, count)
    select ${connectionId}, week, type, alive, alive from running where alive > 0
  `.execute(db);
}

/**
 * The same counts for the last few days only (the usual case after a sync), from each account's most
 * recent active days: the latest active day on or before day d is among them for any d in the last week.
 */
async function refreshRecentDailyActive(db: Database, jobs: DailyJob[], today: string): Promise<void> {
  const since = sql`unnest(${jobs.map((j) => j.connectionId)}::uuid[], ${jobs.map((j) => j.start)}::date[], ${jobs.map((j) => j.membersOnly)}::boolean[]) as s(connection_id, start, members_only)`;
  await sql`delete from app_daily_active d using ${since} where d.connection_id = s.connection_id and d.day >= s.start`.execute(db);
  await sql`
    with latest as (
      -- The latest active day is the day asked about's answer unless it comes after it (facts of a later day).
      select a.connection_id, g::date as day, case when a.last_day <= g::date then a.last_day else (select max(x) from unnest(a.recent_days) x where x <= g::date) end as seen
      from ${since}
      join analytics_accounts a on a.connection_id = s.connection_id and a.last_day > s.start - 90 and (not s.members_only or a.seat or a.departed)
      cross join generate_series(s.start, ${today}::date, interval '1 day') g
    )
    insert into app_daily_active (connection_id, day, active1, active7, active30, active90)
    select connection_id, day, count(*) filter (where seen = day), count(*) filter (where seen > day - 7),
           count(*) filter (where seen > day - 30), count(*) filter (where seen > day - 90)
    from latest group by connection_id, day`.execute(db);
}
