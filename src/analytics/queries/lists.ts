import { sql } from 'kysely';
import type { z } from 'zod';
import type { Renewal } from '../../api/contracts/analytics.ts';
import type { AppSummary, FeatureAdoption } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { addDays, daysBetween, monthStart, rangeOf } from '../dates.ts';
import { dec, money } from '../money.ts';
import { appOrNotFound, featureAdoption } from './apps.ts';
import { appName, loadApps, showsData } from './apps-shared.ts';
import { pageOf, slice, window, type Page } from './page.ts';

type ListQ = { limit: number; offset: number; format: 'json' | 'csv'; from?: string | undefined; to?: string | undefined };

export async function appsList(db: Database, organizationId: string, query: ListQ & { window: string; provider?: string | undefined }, today: string): Promise<Page<AppSummary>> {
  const apps = (await loadApps(db, organizationId, today, Number(query.window))).filter((a) => !query.provider || a.provider === query.provider);
  return slice(apps, query);
}

export async function featuresList(db: Database, organizationId: string, query: ListQ & { window: string; appId?: string | undefined }, today: string): Promise<Page<FeatureAdoption>> {
  if (query.appId) await appOrNotFound(db, organizationId, query.appId);
  const { from, to } = rangeOf(query, today, 84);
  // Adoption needs only each app's seats: the override, else the seats counted at the last recompute.
  const apps = (
    await sql<{ id: string; provider: ProviderSlug; seats: number | null }>`
      select c.id, c.provider, coalesce(st.seat_count_override, s.seats) as seats
      from connections c left join app_stats s on s.connection_id = c.id left join app_settings st on st.connection_id = c.id
      where c.organization_id = ${organizationId} and ${showsData('c')} ${query.appId ? sql`and c.id = ${query.appId}` : sql``}
      order by c.provider, c.created_at`.execute(db)
  ).rows;
  const { offset, limit } = window(query);
  const { items, total } = await featureAdoption(db, apps, Number(query.window), from, to, { offset, limit });
  return pageOf(items, total, query);
}

/** GET .../apps/:appId/invoices: spend lines by month, product and project, newest month first. */
export async function appInvoiceLines(db: Database, organizationId: string, appId: string, query: ListQ, today: string) {
  await appOrNotFound(db, organizationId, appId);
  const { from, to } = rangeOf(query, today, 366);
  const base = db.selectFrom('spend_monthly').where('connection_id', '=', appId).where('month', '>=', monthStart(from)).where('month', '<=', monthStart(to));
  const total = (await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  const { limit, offset } = window(query);
  const rows = await base
    .select([sql<string>`to_char(month, 'YYYY-MM')`.as('month'), 'product', 'project', 'source', 'amount'])
    .orderBy('month', 'desc')
    .orderBy('amount', 'desc')
    .orderBy('product')
    .orderBy('project')
    .limit(limit)
    .offset(offset)
    .execute();
  return pageOf(rows.map((r) => ({ month: r.month, product: r.product, project: r.project || null, amount: money(r.amount), source: r.source })), total, query);
}

/** GET .../spend/lines: spend by month and app, product or project, for tables and CSV. */
export async function spendLines(db: Database, organizationId: string, query: ListQ & { appId?: string | undefined; groupBy: 'app' | 'product' | 'project' }, today: string) {
  const { from, to } = rangeOf(query, today, 366);
  const key = query.groupBy === 'app' ? sql<string>`''` : sql<string>`${sql.ref(query.groupBy)}`;
  const filter = sql`m.organization_id = ${organizationId} and m.month between ${monthStart(from)}::date and ${monthStart(to)}::date ${query.appId ? sql`and m.connection_id = ${query.appId}` : sql``}`;
  const grouped = sql`select to_char(m.month, 'YYYY-MM') as month, m.connection_id, ${key} as key, (array_agg(distinct m.source))[1] as source, sum(m.amount)::text as amount
    from spend_monthly m where ${filter} group by 1, 2, 3`;
  const total = (await sql<{ n: number }>`select count(*)::int as n from (${grouped}) g`.execute(db)).rows[0]!.n;
  const { limit, offset } = window(query);
  const rows = (
    await sql<{ month: string; connection_id: string; key: string; source: 'invoice' | 'preview' | 'seats'; amount: string; provider: ProviderSlug; account: unknown }>`
      select g.*, c.provider, c.account from (${grouped}) g join connections c on c.id = g.connection_id
      order by g.month desc, g.amount::numeric desc, g.key limit ${limit} offset ${offset}`.execute(db)
  ).rows;
  const items = rows.map((r) => {
    const app = { appId: r.connection_id, provider: r.provider, name: appName(r.provider, r.account) };
    return { month: r.month, app, key: query.groupBy === 'app' ? app.name : r.key || '(no project)', amount: money(r.amount), source: r.source };
  });
  return pageOf(items, total, query);
}

/** GET .../renewals: apps renewing soon with their utilization and the seats that could be cut. */
export async function renewalsList(db: Database, organizationId: string, query: ListQ & { days: number }, today: string): Promise<Page<z.infer<typeof Renewal>>> {
  const from = query.from ?? today;
  const to = query.to ?? addDays(today, query.days);
  const apps = await loadApps(db, organizationId, today, 30);
  const due = apps.filter((a) => a.renewalDate !== null && a.renewalDate >= from && a.renewalDate <= to).sort((a, b) => a.renewalDate!.localeCompare(b.renewalDate!));
  const settings = new Map((await db.selectFrom('app_settings').select(['connection_id', 'contract_value']).where('organization_id', '=', organizationId).execute()).map((s) => [s.connection_id, s]));
  const items = due.map((a) => {
    const seatsToCut = a.usageLevels.inactive + a.usageLevels.never_active;
    return {
      app: { appId: a.appId, provider: a.provider, name: a.name },
      renewalDate: a.renewalDate!,
      daysLeft: daysBetween(today, a.renewalDate!),
      contractValue: settings.get(a.appId)?.contract_value ? money(settings.get(a.appId)!.contract_value) : null,
      planName: a.planName,
      seats: a.seats,
      active: a.active,
      utilization: a.utilization,
      seatsToCut,
      yearlySaving: a.pricePerSeat ? money(dec(a.pricePerSeat).times(seatsToCut).times(12)) : null,
    };
  });
  return slice(items, query);
}
