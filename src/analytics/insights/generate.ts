import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addMonths, monthStart } from '../dates.ts';
import { isPeopleBased } from '../features.ts';
import { connectionFindings, inactiveSeats, resourceFindings, spendAnomalies, unusedAdmins, withoutTwoStep, type AppFacts, type Finding } from './rules.ts';

export type AppRow = { id: string; organizationId: string; provider: string; name: string; status: 'active' | 'needs_reconnect' | 'disconnected'; statusReason: string | null };

/** Every finding of one connection, from the rollups just recomputed. */
export async function findingsFor(db: Database, c: AppRow, today: string, now: Date): Promise<Finding[]> {
  const settings = await db.selectFrom('app_settings').selectAll().where('connection_id', '=', c.id).executeTakeFirst();
  const app: AppFacts = { id: c.id, name: c.name, pricePerSeat: settings?.price_per_seat ?? null, thresholdDays: settings?.inactivity_threshold_days ?? 60 };
  const out: Finding[] = [];
  if (isPeopleBased(c.provider)) {
    const accounts = (
      await sql<{ account_id: string; name: string | null; seat: boolean; role: string | null; last_day: string | null; two_step: boolean | null }>`
        select a.account_id, coalesce(aa.name, aa.nickname, a.account_id) as name, a.seat, a.role, a.last_day, a.two_step
        from analytics_accounts a left join app_accounts aa on aa.connection_id = a.connection_id and aa.external_id = a.account_id
        where a.connection_id = ${c.id} and (a.seat or a.two_step = false)
        order by a.last_day nulls first, a.account_id`.execute(db)
    ).rows.map((r) => ({ accountId: r.account_id, name: r.name ?? r.account_id, seat: r.seat, role: r.role, lastDay: r.last_day, twoStep: r.two_step }));
    out.push(...inactiveSeats(app, accounts, today), ...unusedAdmins(app, accounts, today), ...withoutTwoStep(app, accounts));
  } else {
    const resources = (
      await sql<{ resource_id: string; type: string; name: string; flags: string[]; monthly_cost: string | null; created_at: Date | null; usage: any; region: string | null }>`
        select resource_id, type, name, flags, monthly_cost, created_at, usage, region from cloud_resources
        where connection_id = ${c.id} and cardinality(flags) > 0 order by resource_id`.execute(db)
    ).rows;
    out.push(
      ...resourceFindings(
        app,
        resources.map((r) => ({
          resourceId: r.resource_id, type: r.type, name: r.name, flags: r.flags, monthlyCost: r.monthly_cost, region: r.region,
          createdAt: r.created_at ? r.created_at.toISOString() : null, cpuP95: r.usage?.d14?.cpuP95 ?? null, sampledDays: r.usage?.d14?.sampledDays ?? 0,
        })),
        today,
      ),
    );
  }
  const since = addMonths(monthStart(today), -5);
  const lines = await db
    .selectFrom('spend_monthly')
    .select([sql<string>`to_char(month, 'YYYY-MM')`.as('month'), 'product', sql<string>`sum(amount)::text`.as('amount')])
    .where('connection_id', '=', c.id)
    .where('month', '>=', since)
    .where('source', '!=', 'preview')
    .groupBy(['month', 'product'])
    .execute();
  out.push(...spendAnomalies(app, lines, today));
  const lastRun = await db.selectFrom('sync_runs').select(['status', 'error_message', 'started_at']).where('connection_id', '=', c.id).where('status', '!=', 'running').orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  const health = (
    await sql<{ kind: string; detail: string; count: number; last: Date }>`
      select kind, (array_agg(detail order by created_at desc))[1] as detail, count(*)::int as count, max(created_at) as last
      from provider_health where connection_id = ${c.id} and created_at > ${new Date(now.getTime() - 86_400_000)} group by kind`.execute(db)
  ).rows;
  out.push(
    ...connectionFindings(app, {
      status: c.status,
      statusReason: c.statusReason,
      lastRun: lastRun ? { status: lastRun.status, errorMessage: lastRun.error_message, startedAt: lastRun.started_at.toISOString() } : null,
      health: health.map((h) => ({ ...h, last: h.last.toISOString() })),
    }),
  );
  return out;
}
