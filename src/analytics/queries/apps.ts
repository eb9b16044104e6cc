import { sql } from 'kysely';
import type { AppDetail, AppMember, FeatureAdoption } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { TallyError } from '../../errors.ts';
import { addDays, addMonths, monthStart, rangeOf, weekOf } from '../dates.ts';
import { ACTIVITY_NOTE, featureInfo, featuresOf, isPeopleBased } from '../features.ts';
import { usageLevelSql } from '../levels.ts';
import { money, sum } from '../money.ts';
import { loadApps, showsData } from './apps-shared.ts';
import { pageOf, window, type Page } from './page.ts';
import { getSettings } from './settings.ts';

export async function appOrNotFound(db: Database, organizationId: string, appId: string): Promise<{ id: string; provider: ProviderSlug }> {
  const app = await db.selectFrom('connections').select(['id', 'provider']).where('organization_id', '=', organizationId).where('id', '=', appId).where(showsData('connections')).executeTakeFirst();
  if (!app) throw new TallyError('not_found', 'That app was not found in this organization. Pick one from the apps list.');
  return { id: app.id, provider: app.provider as ProviderSlug };
}

/**
 * Feature adoption of some apps: users in the window (precomputed) and the weekly trend between from and to.
 * Which features each app lists is decided first (its catalogue and any other feature seen in the range);
 * the weekly series are then read for the rows asked for only (`page`, a slice of the whole list), since
 * an organization has hundreds of them.
 */
export async function featureAdoption(
  db: Database, apps: Array<{ id: string; provider: ProviderSlug; seats: number | null }>, windowDays: number, from: string, to: string, page?: { offset: number; limit: number },
): Promise<{ items: FeatureAdoption[]; total: number }> {
  if (!apps.length) return { items: [], total: 0 };
  const ids = apps.map((a) => a.id);
  const weeks = sql`connection_id = any(${ids}::uuid[]) and week >= ${weekOf(from)}::date and week <= ${to}::date`;
  const [windows, present, alive] = await Promise.all([
    db.selectFrom('app_feature_windows').select(['connection_id', 'feature', 'users', 'count']).where('connection_id', 'in', ids).where('window_days', '=', windowDays).execute(),
    // Features with a weekly row in the range, in the order they first appear.
    sql<{ connection_id: string; feature: string }>`select connection_id, feature from app_weekly_features where ${weeks} group by 1, 2 order by min(week), 2`.execute(db),
    sql<{ connection_id: string; type: string; n: number }>`select connection_id, type, alive as n from app_resource_counts where connection_id = any(${ids}::uuid[])`.execute(db),
  ]);
  const key2 = (app: string, feature: string) => `${app}\u0000${feature}`;
  const windowOf = new Map(windows.map((w) => [key2(w.connection_id, w.feature), w]));
  const aliveOf = new Map(alive.rows.map((a) => [key2(a.connection_id, a.type), a.n]));
  const hasSeries = new Set(present.rows.map((r) => key2(r.connection_id, r.feature)));
  const weeklyFeatures = new Map<string, string[]>();
  for (const r of present.rows) weeklyFeatures.set(r.connection_id, [...(weeklyFeatures.get(r.connection_id) ?? []), r.feature]);
  const all: Array<Omit<FeatureAdoption, 'weekly'>> = [];
  for (const app of apps) {
    const people = isPeopleBased(app.provider);
    const seen = new Set([...featuresOf(app.provider).map((f) => f.key), ...(weeklyFeatures.get(app.id) ?? [])]);
    for (const key of seen) {
      const info = featureInfo(app.provider, key);
      const w = windowOf.get(key2(app.id, key));
      const users = people ? (w?.users ?? 0) : (aliveOf.get(key2(app.id, key)) ?? 0);
      // A DigitalOcean product the team never used is not worth a row; every Bitbucket feature is.
      if (!people && users === 0 && !hasSeries.has(key2(app.id, key))) continue;
      all.push({
        appId: app.id,
        provider: app.provider,
        feature: key,
        label: info.label,
        unit: info.unit,
        basic: info.basic,
        users,
        adoption: people && app.seats ? Math.min(1, users / app.seats) : null,
        count: people ? (w?.count ?? 0) : users,
      });
    }
  }
  const rows = page ? all.slice(page.offset, page.offset + page.limit) : all;
  const wanted = rows.filter((r) => hasSeries.has(key2(r.appId, r.feature)));
  const weekly = wanted.length
    ? (
        await sql<{ connection_id: string; feature: string; week: string; users: number; count: number }>`
          select connection_id, feature, week, users, count from app_weekly_features
          where ${weeks} and (connection_id, feature) in (select * from unnest(${wanted.map((r) => r.appId)}::uuid[], ${wanted.map((r) => r.feature)}::text[]))
          order by week`.execute(db)
      ).rows
    : [];
  const seriesOf = new Map<string, Array<{ week: string; users: number; count: number }>>();
  for (const w of weekly) {
    const k = key2(w.connection_id, w.feature);
    const list = seriesOf.get(k);
    const point = { week: w.week, users: w.users, count: w.count };
    if (list) list.push(point);
    else seriesOf.set(k, [point]);
  }
  return { items: rows.map((r) => ({ ...r, weekly: seriesOf.get(key2(r.appId, r.feature)) ?? [] })), total: all.length };
}

/** GET .../apps/:appId: one app's page. */
export async function appDetail(db: Database, organizationId: string, appId: string, query: { window: string; from?: string | undefined; to?: string | undefined }, today: string): Promise<AppDetail> {
  await appOrNotFound(db, organizationId, appId);
  const windowDays = Number(query.window);
  const [app] = await loadApps(db, organizationId, today, windowDays, appId);
  const { from, to } = rangeOf(query, today, 90);
  // Days before the first activity have no row: they are zeros. Days after today are not counted yet.
  const active = (
    await sql<{ day: string; active7: number; active30: number; active90: number }>`
      select g::date::text as day, coalesce(d.active7, 0) as active7, coalesce(d.active30, 0) as active30, coalesce(d.active90, 0) as active90
      from generate_series(${from}::date, least(${to}::date, ${today}::date), interval '1 day') g
      left join app_daily_active d on d.connection_id = ${appId} and d.day = g::date
      order by 1`.execute(db)
  ).rows;
  const breakdown = async (column: 'type' | 'project' | 'region') =>
    (
      await sql<{ key: string | null; n: number; cost: string | null }>`
        select ${sql.ref(column)} as key, count(*)::int as n, coalesce(sum(monthly_cost), 0)::text as cost from cloud_resources
        where connection_id = ${appId} and deleted_at is null group by 1 order by sum(monthly_cost) desc nulls last, 1`.execute(db)
    ).rows.map((r) => ({ key: r.key ?? '(none)', resources: r.n, monthlyCost: money(r.cost) }));
  const invoiceFrom = query.from ? monthStart(from) : addMonths(monthStart(today), -12);
  const lines = await db
    .selectFrom('spend_monthly')
    .select([sql<string>`to_char(month, 'YYYY-MM')`.as('month'), 'product', 'source', sql<string>`sum(amount)::text`.as('amount')])
    .where('connection_id', '=', appId)
    .where('month', '>=', invoiceFrom)
    .where('month', '<=', monthStart(to))
    .groupBy(['month', 'product', 'source'])
    .orderBy('month', 'desc')
    .orderBy('product')
    .execute();
  const months = [...new Set(lines.map((l) => l.month))];
  return {
    app: app!,
    settings: await getSettings(db, organizationId, appId),
    activeOverTime: active,
    features: (await featureAdoption(db, [{ id: appId, provider: app!.provider, seats: app!.seats }], windowDays, addDays(to, -83), to)).items,
    resourcesByType: await breakdown('type'),
    resourcesByProject: await breakdown('project'),
    resourcesByRegion: await breakdown('region'),
    invoices: months.map((month) => {
      const mine = lines.filter((l) => l.month === month);
      return {
        month,
        total: money(sum(mine.map((l) => l.amount))),
        source: mine.some((l) => l.source === 'preview') ? 'preview' : mine.some((l) => l.source === 'seats') ? 'seats' : 'invoice',
        byProduct: mine.map((l) => ({ product: l.product, amount: money(l.amount) })),
      };
    }),
    activityNote: ACTIVITY_NOTE,
  };
}

type MembersQuery = { window: string; level?: string | undefined; q?: string | undefined; seat?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number; format: 'json' | 'csv' };

/** GET .../apps/:appId/members: the members table, newest activity first, with feature counts for the page. */
export async function appMembers(db: Database, organizationId: string, appId: string, query: MembersQuery, today: string): Promise<Page<AppMember>> {
  await appOrNotFound(db, organizationId, appId);
  const windowDays = Number(query.window);
  const range = query.from || query.to ? rangeOf(query, today, windowDays) : { from: addDays(today, -(windowDays - 1)), to: today };
  const level = usageLevelSql(today, sql`coalesce(s.inactivity_threshold_days, 60)`);
  const like = query.q ? `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = sql`a.connection_id = ${appId}
    ${query.seat ? sql`and a.seat = ${query.seat === 'true'}` : sql``}
    ${like ? sql`and (lower(aa.name) like ${like} or lower(aa.email) like ${like} or lower(aa.nickname) like ${like})` : sql``}
    ${query.level ? sql`and ${level} = ${query.level}` : sql``}`;
  const from = sql`analytics_accounts a
    left join app_accounts aa on aa.connection_id = a.connection_id and aa.external_id = a.account_id
    left join app_settings s on s.connection_id = a.connection_id`;
  // Without a name or level filter the count needs no join.
  const counted = query.q || query.level ? sql`select count(*)::int as n from ${from} where ${where}` : sql`select count(*)::int as n from analytics_accounts a where ${where}`;
  const { limit, offset } = window(query);
  // Without a name or level filter, the page is picked in the (app, last day, account) index alone and only
  // its rows are joined to names and people.
  const paged = query.q || query.level ? sql`` : sql`and a.account_id in (select a.account_id from analytics_accounts a where ${where} order by a.last_day desc nulls last, a.account_id limit ${limit} offset ${offset})`;
  const [totalRows, page] = await Promise.all([
    sql<{ n: number }>`${counted}`.execute(db),
    sql<{ account_id: string; name: string | null; email: string | null; nickname: string | null; role: string | null; seat: boolean; departed: boolean; person_id: string | null; person_name: string | null; first_seen_at: Date | null; last_day: string | null; last_accessed_at: Date | null; level: AppMember['level'] }>`
      select a.account_id, aa.name, aa.email, aa.nickname, a.role, a.seat, a.departed, pa.person_id, p.display_name as person_name,
             aa.first_seen_at, a.last_day, a.last_accessed_at, ${level} as level
      from ${from}
      left join person_accounts pa on pa.connection_id = a.connection_id and pa.account_id = a.account_id
      left join people p on p.id = pa.person_id
      where ${where} ${paged}
      order by a.last_day desc nulls last, a.account_id
      limit ${limit} offset ${query.q || query.level ? offset : 0}`.execute(db),
  ]);
  const total = totalRows.rows[0]!.n;
  const rows = page.rows;
  const ids = rows.map((r) => r.account_id);
  const facts = ids.length
    ? (
        await sql<{ account_id: string; feature: string; count: number; days: number }>`
          select account_id, case when feature like 'issue.%' then 'issue' else feature end as feature, sum(count)::int as count, count(distinct day)::int as days
          from activity_daily where connection_id = ${appId} and account_id = any(${ids}::text[]) and day between ${range.from}::date and ${range.to}::date
          group by grouping sets ((1, 2), (1))`.execute(db)
      ).rows
    : [];
  const items = rows.map((r) => {
    const mine = facts.filter((f) => f.account_id === r.account_id);
    return {
      accountId: r.account_id,
      name: r.name,
      email: r.email,
      nickname: r.nickname,
      role: r.role,
      seat: r.seat,
      departed: r.departed,
      personId: r.person_id,
      personName: r.person_name,
      firstSeenAt: (r.first_seen_at ?? new Date(0)).toISOString(),
      lastActivityDay: r.last_day,
      lastAccessedAt: r.last_accessed_at?.toISOString() ?? null,
      level: r.level,
      activeDays: mine.find((f) => f.feature === null)?.days ?? 0,
      featureCounts: Object.fromEntries(mine.filter((f) => f.feature !== null && f.feature !== 'pipeline.build_seconds').map((f) => [f.feature, f.count])),
    };
  });
  return pageOf(items, total, query);
}
