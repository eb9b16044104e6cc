import { sql } from 'kysely';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import { afterEachSync } from '../sync/schedule.ts';
import { addDays, utcDay } from './dates.ts';
import { isPeopleBased } from './features.ts';
import { findingsFor, type AppRow } from './insights/generate.ts';
import { saveFindings } from './insights/store.ts';
import { linkPeople } from './people/link.ts';
import { refreshPeopleStats } from './people/stats.ts';
import { refreshAccounts } from './recompute/accounts.ts';
import { refreshDailyActive, refreshWeeklyActivity, refreshWeeklyResources } from './recompute/daily.ts';
import { refreshResources } from './recompute/resources.ts';
import { refreshSpend } from './recompute/spend.ts';
import { refreshFeatureWindows } from './recompute/windows.ts';
import { appName } from './queries/apps-shared.ts';

export type AnalyticsContext = { db: Database; log: Logger };
export type RecomputeOptions = {
  /** Rebuild every rollup of the connection from all its history, not just what changed. */
  full?: boolean;
  /** The clock, for tests and benchmarks. */
  now?: Date;
};
export type RecomputeResult = {
  connectionId: string;
  full: boolean;
  dirtyAccounts: number;
  fromDay: string | null;
  durationMs: number;
  /** Milliseconds per step, for the benchmark and for debugging a slow recompute. */
  steps: Record<string, number>;
};

/** How far back daily series go on a full rebuild. */
const HISTORY_DAYS = 730;
/** Beyond this many changed accounts, one scan of the connection beats per-account lookups. */
const MANY_ACCOUNTS = 5000;

/**
 * Brings one connection's analytics up to date after a sync (call it when a sync run ends, whatever its
 * outcome: a failed run is an insight too). Only the accounts and days whose activity changed since the
 * last recompute are looked at (the triggers on activity_events record them); seats, resources, spend and
 * insights are rebuilt for the connection, which is cheap. All in one transaction: a failure leaves the
 * previous figures and the record of what changed, so the next call redoes it. Recomputes of one
 * organization run one at a time (they share its people directory).
 */
export async function recomputeAnalytics(ctx: AnalyticsContext, connectionId: string, options: RecomputeOptions = {}): Promise<RecomputeResult | null> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const today = utcDay(now);
  const row = await ctx.db.selectFrom('connections').select(['id', 'organization_id', 'provider', 'status', 'status_reason', 'account']).where('id', '=', connectionId).executeTakeFirst();
  if (!row) return null;
  const c: AppRow = { id: row.id, organizationId: row.organization_id, provider: row.provider, name: appName(row.provider, row.account), status: row.status, statusReason: row.status_reason };
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await work();
    } finally {
      steps[name] = Math.round((performance.now() - at) * 10) / 10;
    }
  };
  const result = await ctx.db.transaction().execute(async (db) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`analytics:${c.organizationId}`}))`.execute(db);
    // The activity triggers take this lock too: no page of this connection commits while its changes are read.
    await sql`select pg_advisory_xact_lock(hashtext(${`activity:${c.id}`}))`.execute(db);
    const dirty = (
      await sql<{ accounts: string[] | null; min_day: string | null }>`
        with d as (delete from activity_dirty where connection_id = ${c.id} returning account_id, day)
        select array_agg(distinct account_id) as accounts, min(day)::text as min_day from d`.execute(db)
    ).rows[0]!;
    const computedBefore = await db.selectFrom('analytics_state').select('computed_at').where('connection_id', '=', c.id).executeTakeFirst();
    const full = options.full === true || !computedBefore;
    const accounts = dirty.accounts ?? [];
    const earliest = full
      ? ((await sql<{ d: string | null }>`select min(day)::text as d from activity_daily where connection_id = ${c.id}`.execute(db)).rows[0]!.d ?? today)
      : (dirty.min_day ?? today);
    const fromDay = earliest < addDays(today, -HISTORY_DAYS) ? addDays(today, -HISTORY_DAYS) : earliest;
    const lastDaily = (await sql<{ d: string | null }>`select max(day)::text as d from app_daily_active where connection_id = ${c.id}`.execute(db)).rows[0]!.d;
    // The trailing windows move every day even without new facts: days since the last recompute are due too.
    const dailyFrom = [fromDay, lastDaily && !full ? addDays(lastDaily, 1) : fromDay, today].sort()[0]!;

    if (isPeopleBased(c.provider)) {
      await step('accounts', () => refreshAccounts(db, c, full || accounts.length > MANY_ACCOUNTS ? 'all' : accounts));
      await step('people', () => linkPeople(db, c));
      if (full || dirty.min_day) await step('weekly', () => refreshWeeklyActivity(db, c.id, fromDay));
      await step('windows', () => refreshFeatureWindows(db, c.id, today));
    } else {
      await step('resources', () => refreshResources(db, c, today));
      await step('weekly', () => refreshWeeklyResources(db, c.id, today));
    }
    await step('daily', () => refreshDailyActive(db, c.id, dailyFrom, today, isPeopleBased(c.provider)));
    if (isPeopleBased(c.provider)) await step('people_stats', () => refreshPeopleStats(db, { connectionId: c.id }, c.organizationId));
    await step('spend', () => refreshSpend(db, c, today));
    await step('insights', async () => saveFindings(db, c, await findingsFor(db, c, today, now), now));
    const durationMs = Math.round(performance.now() - started);
    await db
      .insertInto('analytics_state')
      .values({ connection_id: c.id, organization_id: c.organizationId, computed_at: now, duration_ms: durationMs })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ computed_at: now, duration_ms: durationMs }))
      .execute();
    return { connectionId: c.id, full, dirtyAccounts: accounts.length, fromDay: dirty.min_day ?? (full ? fromDay : null), durationMs, steps };
  });
  ctx.log.info({ ...result, connectionId }, 'analytics recomputed');
  return result;
}

/** Every connection of an organization (after a settings change, or on an admin's request). */
export async function recomputeOrganization(ctx: AnalyticsContext, organizationId: string, options: RecomputeOptions = {}): Promise<RecomputeResult[]> {
  const connections = await ctx.db.selectFrom('connections').select('id').where('organization_id', '=', organizationId).orderBy('created_at').execute();
  const out: RecomputeResult[] = [];
  for (const c of connections) {
    const r = await recomputeAnalytics(ctx, c.id, options);
    if (r) out.push(r);
  }
  return out;
}

// Every process that can sync (serve, worker, the CLI) imports this module through the API routes: each
// sync, whatever its outcome, is followed by the recompute of that connection's analytics.
afterEachSync(async (ctx, connectionId) => {
  await recomputeAnalytics(ctx, connectionId);
});
