import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays, weekOf } from '../dates.ts';

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

/**
 * Each account's last use of each feature within the last 90 days. `changed`: the (account, day) pairs
 * whose facts changed; a feature seen on one of those days moves its last use forward, and one whose last
 * use was on such a day but is no longer there (an event removed) is looked up again.
 */
export async function refreshFeatureLast(db: Database, connectionId: string, changed: { accounts: string[]; days: string[] } | 'all', today: string): Promise<void> {
  const since = addDays(today, -(HORIZON_DAYS - 1));
  if (changed === 'all') {
    await sql`delete from account_feature_last where connection_id = ${connectionId}`.execute(db);
    await sql`
      insert into account_feature_last (connection_id, account_id, feature, last_day)
      select ${connectionId}, d.account_id, ${FEATURE}, max(d.day) from activity_daily d
      where d.connection_id = ${connectionId} and d.day >= ${since}::date and d.feature <> 'pipeline.build_seconds'
      group by 2, 3`.execute(db);
    return;
  }
  if (!changed.accounts.length) return;
  const pairs = sql`unnest(${changed.accounts}::text[], ${changed.days}::date[]) as p(account_id, day)`;
  const gone = (
    await sql<{ account_id: string; feature: string }>`
      delete from account_feature_last l using ${pairs}
      where l.connection_id = ${connectionId} and l.account_id = p.account_id and l.last_day = p.day
        and not exists (select 1 from activity_daily d where d.connection_id = l.connection_id and d.account_id = l.account_id and d.day = l.last_day and ${FEATURE} = l.feature)
      returning l.account_id, l.feature`.execute(db)
  ).rows;
  await sql`
    insert into account_feature_last as l (connection_id, account_id, feature, last_day)
    select ${connectionId}, d.account_id, ${FEATURE}, max(d.day)
    from ${pairs} join activity_daily d on d.connection_id = ${connectionId} and d.account_id = p.account_id and d.day = p.day
    where d.day >= ${since}::date and d.feature <> 'pipeline.build_seconds'
    group by 2, 3
    on conflict (connection_id, account_id, feature) do update set last_day = excluded.last_day where l.last_day < excluded.last_day`.execute(db);
  if (gone.length) {
    await sql`
      insert into account_feature_last as l (connection_id, account_id, feature, last_day)
      select ${connectionId}, d.account_id, ${FEATURE}, max(d.day)
      from activity_daily d join unnest(${gone.map((g) => g.account_id)}::text[], ${gone.map((g) => g.feature)}::text[]) as g(account_id, feature)
        on d.account_id = g.account_id and ${FEATURE} = g.feature
      where d.connection_id = ${connectionId} and d.day >= ${since}::date
      group by 2, 3
      on conflict (connection_id, account_id, feature) do update set last_day = greatest(l.last_day, excluded.last_day)`.execute(db);
  }
  // Uses that slid out of the horizon are not needed by any window.
  await sql`delete from account_feature_last where connection_id = ${connectionId} and last_day < ${since}::date`.execute(db);
}

export async function refreshFeatureDaily(db: Database, connectionId: string, days: string[] | 'all'): Promise<void> {
  if (days !== 'all' && !days.length) return;
  const only = days === 'all' ? sql`` : sql`and d.day = any(${days}::date[])`;
  await sql`delete from app_feature_daily d where d.connection_id = ${connectionId} ${only}`.execute(db);
  await sql`
    insert into app_feature_daily (connection_id, day, feature, count)
    select ${connectionId}, d.day, ${FEATURE}, sum(d.count)
    from activity_daily d
    where d.connection_id = ${connectionId} and d.feature <> 'pipeline.build_seconds' and ${IS_MEMBER} ${only}
    group by 2, 3`.execute(db);
}

/** Users and counts of each feature over the trailing 7, 30 and 90 days ending today. */
export async function refreshFeatureWindows(db: Database, connectionId: string, today: string): Promise<void> {
  await db.deleteFrom('app_feature_windows').where('connection_id', '=', connectionId).execute();
  await sql`
    with windows(w) as (values (7), (30), (90)),
    users as (
      select w, l.feature, count(*)::int as users from account_feature_last l
      join analytics_accounts a on a.connection_id = l.connection_id and a.account_id = l.account_id and (a.seat or a.departed)
      join windows on l.last_day > ${today}::date - w
      where l.connection_id = ${connectionId} group by 1, 2
    ), counts as (
      select w, f.feature, sum(f.count) as count from app_feature_daily f join windows on f.day > ${today}::date - w and f.day <= ${today}::date
      where f.connection_id = ${connectionId} group by 1, 2
    )
    insert into app_feature_windows (connection_id, window_days, feature, users, count, as_of)
    select ${connectionId}, coalesce(u.w, c.w), coalesce(u.feature, c.feature), coalesce(u.users, 0), coalesce(c.count, 0), ${today}::date
    from users u full join counts c on c.w = u.w and c.feature = u.feature`.execute(db);
}

/**
 * Weekly adoption (distinct members and summed counts per feature and ISO week). `weeks`: the Mondays of
 * the days whose facts changed, or all of them. The current week comes from the incremental tables; any
 * other week is scanned.
 */
export async function refreshWeeklyActivity(db: Database, connectionId: string, weeks: string[] | 'all', today: string): Promise<void> {
  const current = weekOf(today);
  const past = weeks === 'all' ? 'all' : [...new Set(weeks)].filter((w) => w !== current);
  if (past === 'all' || past.length) {
    const only = past === 'all' ? sql`` : sql`and date_trunc('week', d.day)::date = any(${past}::date[])`;
    await sql`delete from app_weekly_features d where d.connection_id = ${connectionId} and d.week <> ${current}::date ${past === 'all' ? sql`` : sql`and d.week = any(${past}::date[])`}`.execute(db);
    await sql`
      insert into app_weekly_features (connection_id, week, feature, users, count)
      select ${connectionId}, date_trunc('week', d.day)::date, ${FEATURE}, count(distinct d.account_id), sum(d.count)
      from activity_daily d
      where d.connection_id = ${connectionId} and d.feature <> 'pipeline.build_seconds' and d.day < ${current}::date and ${IS_MEMBER} ${only}
      group by 2, 3`.execute(db);
  }
  await sql`delete from app_weekly_features where connection_id = ${connectionId} and week >= ${current}::date`.execute(db);
  await sql`
    with users as (
      select l.feature, count(*)::int as users from account_feature_last l
      join analytics_accounts a on a.connection_id = l.connection_id and a.account_id = l.account_id and (a.seat or a.departed)
      where l.connection_id = ${connectionId} and l.last_day >= ${current}::date group by 1
    ), counts as (
      select feature, sum(count) as count from app_feature_daily where connection_id = ${connectionId} and day >= ${current}::date group by 1
    )
    insert into app_weekly_features (connection_id, week, feature, users, count)
    select ${connectionId}, ${current}::date, coalesce(u.feature, c.feature), coalesce(u.users, 0), coalesce(c.count, 0)
    from users u full join counts c on c.feature = u.feature`.execute(db);
}
