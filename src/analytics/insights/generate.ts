import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addMonths, monthStart } from '../dates.ts';
import { isPeopleBased } from '../features.ts';
import {
  connectionFindings, inactiveSeatsOf, resourceFindings, spendAnomalies, unusedAdmins, withoutTwoStep, type AppFacts, type Finding, type MonthAmount, type SeatFacts, type SeatSummary,
} from './rules.ts';

export type AppRow = { id: string; organizationId: string; provider: string; name: string; status: 'active' | 'needs_reconnect' | 'disconnected'; statusReason: string | null };

type SeatRow = { connection_id: string; account_id: string; name: string | null; seat: boolean; role: string | null; last_day: string | null; two_step: boolean | null };
const seatFacts = (r: SeatRow): SeatFacts => ({ accountId: r.account_id, name: r.name ?? r.account_id, seat: r.seat, role: r.role, lastDay: r.last_day, twoStep: r.two_step });

function byConnection<T extends { connection_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.connection_id);
    if (list) list.push(r);
    else out.set(r.connection_id, [r]);
  }
  return out;
}

/**
 * Every finding of some connections, from the rollups just recomputed, by connection. Each kind of fact is
 * read for all of them at once; seats are counted in SQL (a workspace has thousands of members) and only
 * the seats a rule names are read out.
 */
export async function findingsOf(db: Database, apps: AppRow[], today: string, now: Date): Promise<Map<string, Finding[]>> {
  const ids = apps.map((a) => a.id);
  const out = new Map<string, Finding[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const people = apps.filter((a) => isPeopleBased(a.provider)).map((a) => a.id);
  const cloud = apps.filter((a) => !isPeopleBased(a.provider)).map((a) => a.id);
  const settings = new Map((await db.selectFrom('app_settings').selectAll().where('connection_id', 'in', ids).execute()).map((s) => [s.connection_id, s]));
  const factsOf = (c: AppRow): AppFacts => ({ id: c.id, name: c.name, pricePerSeat: settings.get(c.id)?.price_per_seat ?? null, thresholdDays: settings.get(c.id)?.inactivity_threshold_days ?? 60 });
  // Idle within N days: no activity on or after today − (N − 1) (rules.ts idleCutoff), never-active seats included.
  const idle = (days: ReturnType<typeof sql>) => sql`(a.last_day is null or a.last_day < ${today}::date - (${days} - 1))`;
  const threshold = sql`coalesce(st.inactivity_threshold_days, 60)`;
  const seatSelect = sql`select a.connection_id, a.account_id, coalesce(aa.name, aa.nickname, a.account_id) as name, a.seat, a.role, a.last_day, a.two_step
    from analytics_accounts a left join app_accounts aa on aa.connection_id = a.connection_id and aa.external_id = a.account_id`;
  const since = addMonths(monthStart(today), -5);
  const [counts, examples, flagged, resources, lines, runs, health] = await Promise.all([
    sql<Omit<SeatSummary, 'examples'> & { connection_id: string }>`
      select a.connection_id, count(*)::int as seats, count(*) filter (where ${idle(threshold)})::int as inactive, count(*) filter (where ${idle(sql`30`)})::int as idle30,
             count(*) filter (where ${idle(sql`60`)})::int as idle60, count(*) filter (where ${idle(sql`90`)})::int as idle90, count(*) filter (where a.last_day is null)::int as never
      from analytics_accounts a left join app_settings st on st.connection_id = a.connection_id
      where a.connection_id = any(${people}::uuid[]) and a.seat group by 1`.execute(db),
    // The first five idle seats of each app, least recently active first.
    sql<SeatRow>`
      select e.* from unnest(${people}::uuid[]) as c(id)
      left join app_settings st on st.connection_id = c.id
      cross join lateral (${seatSelect} where a.connection_id = c.id and a.seat and ${idle(threshold)} order by a.last_day nulls first, a.account_id limit 5) e`.execute(db),
    // The seats the per-member rules can flag: owners idle for 90 days, members without two-step verification.
    sql<SeatRow>`
      ${seatSelect} where a.connection_id = any(${people}::uuid[]) and a.seat and ((a.role = 'owner' and ${idle(sql`90`)}) or a.two_step = false)
      order by a.connection_id, a.last_day nulls first, a.account_id`.execute(db),
    sql<{ connection_id: string; resource_id: string; type: string; name: string; flags: string[]; monthly_cost: string | null; created_at: Date | null; usage: any; region: string | null }>`
      select connection_id, resource_id, type, name, flags, monthly_cost, created_at, usage, region from cloud_resources
      where connection_id = any(${cloud}::uuid[]) and cardinality(flags) > 0 order by connection_id, resource_id`.execute(db),
    sql<MonthAmount & { connection_id: string }>`
      select connection_id, to_char(month, 'YYYY-MM') as month, product, sum(amount)::text as amount from spend_monthly
      where connection_id = any(${ids}::uuid[]) and month >= ${since}::date and source <> 'preview' group by connection_id, month, product`.execute(db),
    sql<{ connection_id: string; status: string; error_message: string | null; started_at: Date }>`
      select distinct on (connection_id) connection_id, status, error_message, started_at from sync_runs
      where connection_id = any(${ids}::uuid[]) and status <> 'running' order by connection_id, started_at desc`.execute(db),
    sql<{ connection_id: string; kind: string; detail: string; count: number; last: Date }>`
      select connection_id, kind, (array_agg(detail order by created_at desc))[1] as detail, count(*)::int as count, max(created_at) as last
      from provider_health where connection_id = any(${ids}::uuid[]) and created_at > ${new Date(now.getTime() - 86_400_000)} group by connection_id, kind`.execute(db),
  ]);
  const countsOf = new Map(counts.rows.map((r) => [r.connection_id, r]));
  const examplesOf = byConnection(examples.rows);
  const flaggedOf = byConnection(flagged.rows);
  const resourcesOf = byConnection(resources.rows);
  const linesOf = byConnection(lines.rows);
  const runOf = new Map(runs.rows.map((r) => [r.connection_id, r]));
  const healthOf = byConnection(health.rows);
  for (const c of apps) {
    const app = factsOf(c);
    const found = out.get(c.id)!;
    if (isPeopleBased(c.provider)) {
      const n = countsOf.get(c.id) ?? { seats: 0, inactive: 0, idle30: 0, idle60: 0, idle90: 0, never: 0 };
      const seats = (flaggedOf.get(c.id) ?? []).map(seatFacts);
      found.push(...inactiveSeatsOf(app, { ...n, examples: (examplesOf.get(c.id) ?? []).map(seatFacts) }), ...unusedAdmins(app, seats, today), ...withoutTwoStep(app, seats));
    } else {
      const facts = (resourcesOf.get(c.id) ?? []).map((r) => ({
        resourceId: r.resource_id, type: r.type, name: r.name, flags: r.flags, monthlyCost: r.monthly_cost, region: r.region,
        createdAt: r.created_at ? r.created_at.toISOString() : null, cpuP95: r.usage?.d14?.cpuP95 ?? null, sampledDays: r.usage?.d14?.sampledDays ?? 0,
      }));
      found.push(...resourceFindings(app, facts, today));
    }
    found.push(...spendAnomalies(app, linesOf.get(c.id) ?? [], today));
    const lastRun = runOf.get(c.id);
    found.push(
      ...connectionFindings(app, {
        status: c.status,
        statusReason: c.statusReason,
        lastRun: lastRun ? { status: lastRun.status, errorMessage: lastRun.error_message, startedAt: lastRun.started_at.toISOString() } : null,
        health: (healthOf.get(c.id) ?? []).map((h) => ({ kind: h.kind, detail: h.detail, count: h.count, last: h.last.toISOString() })),
      }),
    );
  }
  return out;
}
