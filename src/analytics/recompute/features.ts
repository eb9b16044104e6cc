import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays, weekOf } from '../dates.ts';
import { changedFactsSql, changesSql, pairsSql, type Changes } from './changes.ts';

/**
 * Feature adoption of people-based apps, kept incrementally: each account's last use of each feature in
 * the last 90 days, and each day's feature totals over members. The 7/30/90-day windows and the current
 * week are read from those two; only a week in the past that received late activity is scanned again.
 * Members are current or departed ones (commit authors linked to no account hold no seat).
 */

/** The SQL form of adoptionFeature(): raw activity features -> the feature they count for. */
const FEATURE = sql<string>`case when d.feature like 'issue.%' then 'issue' else d.feature end`;
const IS_MEMBER = sql`exists (select 1 from analytics_accounts a where a.connection_id = d.connection_id and a.account_id = d.account_id and (a.seat or a.departed))`;
const HORIZON_DAYS = 90;

/** Each account's last use of each feature within the last 90 days, rebuilt from all history of some connections. */
export async function rebuildFeatureLast(db: Database, connectionIds: string[], today: string): Promise<void> {
  if (!connectionIds.length) return;
  await sql`delete from account_feature_last where connection_id = any(${connectionIds}::uuid[])`.execute(db);
  await sql`
    insert into account_feature_last (connection_id, account_id, feature, last_day)
    select d.connection_id, d.account_id, ${FEATURE}, max(d.day) from activity_daily d
    where d.connection_id = any(${connectionIds}::uuid[]) and d.day >= ${addDays(today, -(HORIZON_DAYS - 1))}::date and d.feature <> 'pipeline.build_seconds'
    group by 1, 2, 3`.execute(db);
}

/**
 * The same, kept up to date from the (connection, account, day) triples whose facts changed: a feature seen
 * on one of those days moves its last use forward, and one whose last use was on such a day but is no
 * longer there (an event removed) is looked up again.
 */
export async function refreshFeatureLast(db: Database, changes: Changes, today: string): Promise<void> {
  if (!changes.accounts.length) return;
  const since = addDays(today, -(HORIZON_DAYS - 1));
  const gone = (
    await sql<{ connection_id: string; account_id: string; feature: string }>`
      delete from account_feature_last l using ${changesSql(changes)}
      where l.connection_id = p.connection_id and l.account_id = p.account_id and l.last_day = p.day
        and not exists (select 1 from activity_daily d where d.connection_id = l.connection_id and d.account_id = l.account_id and d.day = l.last_day and ${FEATURE} = l.feature)
      returning l.connection_id, l.account_id, l.feature`.execute(db)
  ).rows;
  await sql`
    insert into account_feature_last as l (connection_id, account_id, feature, last_day)
    select d.connection_id, d.account_id, ${FEATURE}, max(d.day)
    from ${changedFactsSql(changes)} d
    where d.day >= ${since}::date and d.feature <> 'pipeline.build_seconds'
    group by 1, 2, 3
    on conflict (connection_id, account_id, feature) do update set last_day = excluded.last_day where l.last_day < excluded.last_day`.execute(db);
  if (gone.length) {
    await sql`
      insert into account_feature_last as l (connection_id, account_id, feature, last_day)
      select d.connection_id, d.account_id, ${FEATURE}, max(d.day)
      from unnest(${gone.map((g) => g.connection_id)}::uuid[], ${gone.map((g) => g.account_id)}::text[], ${gone.map((g) => g.feature)}::text[]) as g(connection_id, account_id, feature)
      join activity_daily d on d.connection_id = g.connection_id and d.account_id = g.account_id and ${FEATURE} = g.feature
      where d.day >= ${since}::date
      group by 1, 2, 3
      on conflict (connection_id, account_id, feature) do update set last_day = greatest(l.last_day, excluded.last_day)`.execute(db);
  }
  // Uses that slid out of the horizon are not needed by any window.
  await sql`delete from account_feature_last where connection_id = any(${[...new Set(changes.connections)]}::uuid[]) and last_day < ${since}::date`.execute(db);
}

/**
 * Each day's feature totals over members: every day of the `rebuild` connections, and the changed
 * (connection, day) pairs of the others.
 */
export async function refreshFeatureDaily(db: Database, rebuild: string[], changed: { connections: string[]; values: string[] }): Promise<void> {
  if (rebuild.length) {
    await sql`delete from app_feature_daily where connection_id = any(${rebuild}::uuid[])`.execute(db);
    await sql`
      insert into app_feature_daily (connection_id, day, feature, count)
      select d.connection_id, d.day, ${FEATURE}, sum(d.count)
      from activity_daily d
      where d.connection_id = any(${rebuild}::uuid[]) and d.feature <> 'pipeline.build_seconds' and ${IS_MEMBER}
      group by 1, 2, 3`.execute(db);
  }
  if (!changed.connections.length) return;
  const pairs = pairsSql(changed.connections, changed.values, 'date', 'x', 'day');
  await sql`delete from app_feature_daily f using ${pairs} where f.connection_id = x.connection_id and f.day = x.day`.execute(db);
  await sql`
    insert into app_feature_daily (connection_id, day, feature, count)
    select d.connection_id, d.day, ${FEATURE}, sum(d.count)
    from ${pairs} join activity_daily d on d.connection_id = x.connection_id and d.day = x.day
    where d.feature <> 'pipeline.build_seconds' and ${IS_MEMBER}
    group by 1, 2, 3`.execute(db);
}

/**
 * Users and counts of each feature over the trailing 7, 30 and 90 days ending today, and in the current
 * week, from the incremental tables: each is read once for all of them (filters, not a join that repeats
 * every row per window).
 */
export async function refreshCurrentFeatureUse(db: Database, connectionIds: string[], today: string): Promise<void> {
  if (!connectionIds.length) return;
  const current = weekOf(today);
  await db.deleteFrom('app_feature_windows').where('connection_id', 'in', connectionIds).execute();
  await sql`delete from app_weekly_features where connection_id = any(${connectionIds}::uuid[]) and week >= ${current}::date`.execute(db);
  await sql`
    with users as (
      select l.connection_id, l.feature, count(*) filter (where l.last_day > ${today}::date - 7)::int as u7, count(*) filter (where l.last_day > ${today}::date - 30)::int as u30,
             count(*) filter (where l.last_day > ${today}::date - 90)::int as u90, count(*) filter (where l.last_day >= ${current}::date)::int as uw
      from account_feature_last l
      join analytics_accounts a on a.connection_id = l.connection_id and a.account_id = l.account_id and (a.seat or a.departed)
      -- Both sides narrowed to the connections: for one connection the planner then reads its rows only.
      where l.connection_id = any(${connectionIds}::uuid[]) and a.connection_id = any(${connectionIds}::uuid[]) group by 1, 2
    ), counts as (
      select f.connection_id, f.feature, sum(f.count) filter (where f.day > ${today}::date - 7 and f.day <= ${today}::date) as c7,
             sum(f.count) filter (where f.day > ${today}::date - 30 and f.day <= ${today}::date) as c30, sum(f.count) filter (where f.day <= ${today}::date) as c90,
             sum(f.count) filter (where f.day >= ${current}::date) as cw
      from app_feature_daily f where f.connection_id = any(${connectionIds}::uuid[]) and f.day > ${today}::date - 90 group by 1, 2
    ), both_ as (
      select coalesce(u.connection_id, c.connection_id) as connection_id, coalesce(u.feature, c.feature) as feature, u.u7, u.u30, u.u90, u.uw, c.c7, c.c30, c.c90, c.cw
      from users u full join counts c on c.connection_id = u.connection_id and c.feature = u.feature
    ), windows as (
      insert into app_feature_windows (connection_id, window_days, feature, users, count, as_of)
      select b.connection_id, w.days, b.feature, coalesce(w.users, 0), coalesce(w.count, 0), ${today}::date
      from both_ b cross join lateral (values (7, b.u7, b.c7), (30, b.u30, b.c30), (90, b.u90, b.c90)) as w(days, users, count)
      -- A window in which the feature was neither used nor counted has no row.
      where w.users > 0 or w.count is not null
    )
    insert into app_weekly_features (connection_id, week, feature, users, count)
    select connection_id, ${current}::date, feature, coalesce(uw, 0), coalesce(cw, 0) from both_ where uw > 0 or cw is not null`.execute(db);
}

/**
 * Weekly adoption (distinct members and summed counts per feature and ISO week) of past weeks: all of them
 * for the `rebuild` connections, the weeks (Mondays) in `changed` for the others. The current week is
 * refreshCurrentFeatureUse()'s.
 */
export async function refreshWeeklyActivity(db: Database, rebuild: string[], changed: { connections: string[]; values: string[] }, today: string): Promise<void> {
  const current = weekOf(today);
  if (rebuild.length) {
    await sql`delete from app_weekly_features where connection_id = any(${rebuild}::uuid[]) and week <> ${current}::date`.execute(db);
    await sql`
      insert into app_weekly_features (connection_id, week, feature, users, count)
      select d.connection_id, date_trunc('week', d.day)::date, ${FEATURE}, count(distinct d.account_id), sum(d.count)
      from activity_daily d
      where d.connection_id = any(${rebuild}::uuid[]) and d.feature <> 'pipeline.build_seconds' and d.day < ${current}::date and ${IS_MEMBER}
      group by 1, 2, 3`.execute(db);
  }
  const past = { connections: [] as string[], values: [] as string[] };
  changed.values.forEach((week, i) => {
    if (week === current) return;
    past.connections.push(changed.connections[i]!);
    past.values.push(week);
  });
  if (!past.connections.length) return;
  const weeks = pairsSql(past.connections, past.values, 'date', 'w', 'week');
  await sql`delete from app_weekly_features f using ${weeks} where f.connection_id = w.connection_id and f.week = w.week`.execute(db);
  await sql`
    insert into app_weekly_features (connection_id, week, feature, users, count)
    select d.connection_id, w.week, ${FEATURE}, count(distinct d.account_id), sum(d.count)
    from ${weeks} join activity_daily d on d.connection_id = w.connection_id and d.day between w.week and w.week + 6
    where d.feature <> 'pipeline.build_seconds' and d.day < ${current}::date and ${IS_MEMBER}
    group by 1, 2, 3`.execute(db);
}
