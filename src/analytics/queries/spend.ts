import { sql } from 'kysely';
import type { SpendSummary } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { addDays, addMonths, daysInMonth, monthStart, rangeOf } from '../dates.ts';
import { isPeopleBased } from '../features.ts';
import { changeRatio, dec, Decimal, money, perUnit, sum } from '../money.ts';
import { appName, showsData } from './apps-shared.ts';

type AppSpend = SpendSummary['byApp'][number];

/**
 * Month-to-date, forecast to month end and last month per app. DigitalOcean's running month is its invoice
 * preview, scaled from the days elapsed when it was read (the recompute after the sync) to the whole month;
 * seats × price is a monthly charge, so it is its own forecast.
 */
export async function spendByApp(db: Database, organizationId: string, now: Date, appId?: string): Promise<AppSpend[]> {
  const today = now.toISOString().slice(0, 10);
  const thisMonth = monthStart(today);
  const lastMonth = addMonths(thisMonth, -1);
  const rows = (
    await sql<{ id: string; provider: ProviderSlug; account: unknown; computed_at: Date | null; mtd: string | null; preview: boolean; last_month: string | null; active30: number | null }>`
      with m as (
        select connection_id, sum(amount) filter (where month = ${thisMonth}::date)::text as mtd,
               coalesce(bool_or(month = ${thisMonth}::date and source = 'preview'), false) as preview,
               sum(amount) filter (where month = ${lastMonth}::date and source <> 'preview')::text as last_month
        from spend_monthly where organization_id = ${organizationId} and month in (${thisMonth}::date, ${lastMonth}::date) group by 1
      )
      -- Seats active in the last 30 days as today's recompute kept them (app_stats); otherwise counted below.
      select c.id, c.provider, c.account, st.computed_at, m.mtd, coalesce(m.preview, false) as preview, m.last_month, k.active30
      from connections c left join analytics_state st on st.connection_id = c.id left join m on m.connection_id = c.id
      left join app_stats k on k.connection_id = c.id and k.as_of = ${today}::date
      where c.organization_id = ${organizationId} and ${showsData('c')} ${appId ? sql`and c.id = ${appId}` : sql``}
      order by c.provider, c.created_at`.execute(db)
  ).rows;
  const active = new Map(rows.filter((r) => r.active30 !== null).map((r) => [r.id, r.active30!]));
  const stale = rows.filter((r) => isPeopleBased(r.provider) && r.active30 === null).map((r) => r.id);
  if (stale.length) for (const [id, n] of await liveActiveSeats(db, stale, addDays(today, -29))) active.set(id, n);
  return rows.map((r) => {
    const mtd = dec(r.mtd);
    let forecast = mtd;
    if (r.preview) {
      const asOf = r.computed_at && r.computed_at.toISOString().slice(0, 10) >= thisMonth ? r.computed_at : now;
      const elapsedDays = Math.max(1, (asOf.getTime() - Date.parse(`${thisMonth}T00:00:00Z`)) / 86_400_000);
      forecast = mtd.div(elapsedDays).times(daysInMonth(thisMonth));
    }
    const users = active.get(r.id) ?? 0;
    return {
      app: { appId: r.id, provider: r.provider, name: appName(r.provider, r.account) },
      monthToDate: money(mtd),
      forecastMonthEnd: money(forecast),
      lastMonth: money(r.last_month),
      change: { amount: money(forecast.minus(dec(r.last_month))), ratio: changeRatio(forecast, r.last_month) },
      costPerActiveUser: isPeopleBased(r.provider) ? perUnit(forecast, users) : null,
    };
  });
}

/** Seats active since `since` per app, counted live (for apps not recomputed today). */
async function liveActiveSeats(db: Database, connectionIds: string[], since: string): Promise<Map<string, number>> {
  const live = await sql<{ connection_id: string; n: number }>`
    select a.connection_id, count(*)::int as n from analytics_accounts a
    where a.connection_id = any(${connectionIds}::uuid[]) and a.seat and a.last_day >= ${since}::date group by 1`.execute(db);
  return new Map(live.rows.map((r) => [r.connection_id, r.n]));
}

/** People active in the last 30 days in any people-based app, each counted once (their summary across accounts). */
async function activePeople(db: Database, organizationId: string, since: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from people where organization_id = ${organizationId} and last_day >= ${since}::date`.execute(db);
  return r.rows[0]!.n;
}

export type Totals = Pick<SpendSummary, 'monthToDate' | 'forecastMonthEnd' | 'lastMonth' | 'changeVsLastMonth' | 'costPerActiveUser'>;

/** The organization's totals: the per-app figures added up, cost per active person over people-based apps. */
export async function spendTotals(db: Database, organizationId: string, now: Date, byApp: AppSpend[], activeInMonth?: number): Promise<Totals> {
  const forecast = sum(byApp.map((a) => a.forecastMonthEnd));
  const last = sum(byApp.map((a) => a.lastMonth));
  const peopleForecast = sum(byApp.filter((a) => isPeopleBased(a.app.provider)).map((a) => a.forecastMonthEnd));
  const people = activeInMonth ?? (await activePeople(db, organizationId, addDays(now.toISOString().slice(0, 10), -29)));
  return {
    monthToDate: money(sum(byApp.map((a) => a.monthToDate))),
    forecastMonthEnd: money(forecast),
    lastMonth: money(last),
    changeVsLastMonth: { amount: money(forecast.minus(last)), ratio: changeRatio(forecast, last) },
    costPerActiveUser: peopleForecast.isZero() ? null : perUnit(peopleForecast, people),
  };
}

/** GET .../spend: totals, per app, and the range by month, product and project. */
export async function spendSummary(db: Database, organizationId: string, query: { appId?: string | undefined; from?: string | undefined; to?: string | undefined }, now: Date): Promise<SpendSummary> {
  const today = now.toISOString().slice(0, 10);
  const { from, to } = rangeOf(query, today, 366);
  const [fromMonth, toMonth] = [monthStart(from), monthStart(to)];
  const filter = sql`organization_id = ${organizationId} and month between ${fromMonth}::date and ${toMonth}::date ${query.appId ? sql`and connection_id = ${query.appId}` : sql``}`;
  const grouped = async (column: 'product' | 'project') =>
    (await sql<{ key: string; amount: string }>`select ${sql.ref(column)} as key, sum(amount)::text as amount from spend_monthly where ${filter} group by 1 order by sum(amount) desc, 1`.execute(db)).rows;
  const [byApp, monthRows, products, projects] = await Promise.all([
    spendByApp(db, organizationId, now, query.appId),
    sql<{ month: string; connection_id: string; amount: string }>`
      select to_char(month, 'YYYY-MM') as month, connection_id, sum(amount)::text as amount from spend_monthly where ${filter} group by 1, 2 order by 1`.execute(db),
    grouped('product'),
    grouped('project'),
  ]);
  const totals = await spendTotals(db, organizationId, now, byApp);
  const months = monthRows.rows;
  const byMonth = new Map<string, { month: string; amount: Decimal; byApp: Array<{ appId: string; amount: string }> }>();
  for (const m of months) {
    const entry = byMonth.get(m.month) ?? { month: m.month, amount: new Decimal(0), byApp: [] };
    entry.amount = entry.amount.plus(m.amount);
    entry.byApp.push({ appId: m.connection_id, amount: money(m.amount) });
    byMonth.set(m.month, entry);
  }
  return {
    currency: 'USD',
    ...totals,
    byMonth: [...byMonth.values()].map((m) => ({ ...m, amount: money(m.amount) })),
    byApp,
    byProduct: products.map((r) => ({ product: r.key, amount: money(r.amount) })),
    byProject: projects.map((r) => ({ project: r.key || '(no project)', amount: money(r.amount) })),
  };
}
