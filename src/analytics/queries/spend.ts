import { sql } from 'kysely';
import type { SpendSummary } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { addDays, addMonths, daysInMonth, monthStart, rangeOf } from '../dates.ts';
import { isPeopleBased, PEOPLE_BASED } from '../features.ts';
import { changeRatio, dec, Decimal, money, perUnit, sum } from '../money.ts';
import { appName } from './apps-shared.ts';

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
    await sql<{ id: string; provider: ProviderSlug; account: unknown; computed_at: Date | null; mtd: string | null; preview: boolean; last_month: string | null }>`
      with m as (
        select connection_id, sum(amount) filter (where month = ${thisMonth}::date)::text as mtd,
               coalesce(bool_or(month = ${thisMonth}::date and source = 'preview'), false) as preview,
               sum(amount) filter (where month = ${lastMonth}::date and source <> 'preview')::text as last_month
        from spend_monthly where organization_id = ${organizationId} and month in (${thisMonth}::date, ${lastMonth}::date) group by 1
      )
      select c.id, c.provider, c.account, st.computed_at, m.mtd, coalesce(m.preview, false) as preview, m.last_month
      from connections c left join analytics_state st on st.connection_id = c.id left join m on m.connection_id = c.id
      where c.organization_id = ${organizationId} ${appId ? sql`and c.id = ${appId}` : sql``}
      order by c.provider, c.created_at`.execute(db)
  ).rows;
  const active = await activeSeats(db, organizationId, addDays(today, -29));
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

/** Seats active in the last 30 days per app: today's kept counts, else counted live. */
async function activeSeats(db: Database, organizationId: string, since: string): Promise<Map<string, number>> {
  const today = addDays(since, 29);
  const kept = await sql<{ connection_id: string; n: number }>`
    select s.connection_id, s.active30 as n from app_stats s join connections c on c.id = s.connection_id
    where c.organization_id = ${organizationId} and s.as_of = ${today}::date`.execute(db);
  const out = new Map(kept.rows.map((r) => [r.connection_id, r.n]));
  const stale = (await db.selectFrom('connections').select('id').where('organization_id', '=', organizationId).where('provider', 'in', [...PEOPLE_BASED]).execute())
    .map((c) => c.id)
    .filter((id) => !out.has(id));
  if (!stale.length) return out;
  const live = await sql<{ connection_id: string; n: number }>`
    select a.connection_id, count(*)::int as n from analytics_accounts a
    where a.connection_id = any(${stale}::uuid[]) and a.seat and a.last_day >= ${since}::date group by 1`.execute(db);
  for (const r of live.rows) out.set(r.connection_id, r.n);
  return out;
}

/** People active in the last 30 days in any people-based app, each counted once (their summary across accounts). */
async function activePeople(db: Database, organizationId: string, since: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from people where organization_id = ${organizationId} and last_day >= ${since}::date`.execute(db);
  return r.rows[0]!.n;
}

export type Totals = Pick<SpendSummary, 'monthToDate' | 'forecastMonthEnd' | 'lastMonth' | 'changeVsLastMonth' | 'costPerActiveUser'>;

/** The organization's totals: the per-app figures added up, cost per active person over people-based apps. */
export async function spendTotals(db: Database, organizationId: string, now: Date, byApp: AppSpend[]): Promise<Totals> {
  const forecast = sum(byApp.map((a) => a.forecastMonthEnd));
  const last = sum(byApp.map((a) => a.lastMonth));
  const peopleForecast = sum(byApp.filter((a) => isPeopleBased(a.app.provider)).map((a) => a.forecastMonthEnd));
  const people = await activePeople(db, organizationId, addDays(now.toISOString().slice(0, 10), -29));
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
