import { sql } from 'kysely';
import type { Overview } from '../../api/contracts/analytics.ts';
import type { Database } from '../../store/database.ts';
import { addDays } from '../dates.ts';
import { ACTIVITY_NOTE } from '../features.ts';
import { loadApps } from './apps-shared.ts';
import { openInsightsSummary } from './insights.ts';
import { spendByApp, spendTotals } from './spend.ts';

/** GET .../overview: the landing figures across every app. */
export async function overview(db: Database, organizationId: string, query: { window: string }, now: Date): Promise<Overview> {
  const today = now.toISOString().slice(0, 10);
  const windowDays = Number(query.window);
  // Independent reads, side by side on the pool.
  const [apps, insights, directoryRows, byApp] = await Promise.all([
    loadApps(db, organizationId, today, windowDays),
    openInsightsSummary(db, organizationId, today),
    // The directory and the people active in the last 30 days (cost per active user), in one pass of its index.
    sql<{ n: number; active: number }>`
      select count(*) filter (where not departed)::int as n, count(*) filter (where last_day >= ${addDays(today, -29)}::date)::int as active
      from people where organization_id = ${organizationId}`.execute(db),
    spendByApp(db, organizationId, now),
  ]);
  const people = apps.filter((a) => a.peopleBased && a.seats !== null);
  const seats = people.reduce((n, a) => n + (a.seats ?? 0), 0);
  const active = people.reduce((n, a) => n + Math.min(a.active, a.seats ?? 0), 0);
  const usageLevels = { engaged: 0, few_features: 0, lapsing: 0, inactive: 0, never_active: 0 };
  for (const a of people) for (const k of Object.keys(usageLevels) as Array<keyof typeof usageLevels>) usageLevels[k] += a.usageLevels[k];
  const directory = directoryRows.rows[0]!.n;
  const computed = apps.map((a) => a.computedAt).filter((x): x is string => x !== null).sort();
  return {
    window: windowDays,
    apps: apps.length,
    people: directory,
    seats,
    active,
    inactiveSeats: Math.max(0, seats - active),
    utilization: seats ? active / seats : null,
    usageLevels,
    spend: await spendTotals(db, organizationId, now, byApp, directoryRows.rows[0]!.active),
    insights: { open: insights.open, high: insights.high, estimatedMonthlySaving: insights.estimatedMonthlySaving },
    topInsights: insights.top,
    renewalsDue: apps.filter((a) => a.renewalDate !== null && a.renewalDate >= today && a.renewalDate <= addDays(today, 90)).length,
    appSummaries: apps,
    computedAt: computed.at(-1) ?? null,
    activityNote: ACTIVITY_NOTE,
  };
}
