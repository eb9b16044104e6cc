import { sql } from 'kysely';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import { afterEachSync } from '../sync/schedule.ts';
import { bumpAnalyticsVersionOfConnections } from './cache.ts';
import { addDays, utcDay, weekOf } from './dates.ts';
import { isPeopleBased } from './features.ts';
import { findingsFor, type AppRow } from './insights/generate.ts';
import { saveFindings } from './insights/store.ts';
import { linkPeople } from './people/link.ts';
import { refreshPeopleStats } from './people/stats.ts';
import { refreshActivitySummary, refreshSeats } from './recompute/accounts.ts';
import { refreshDailyActive, refreshWeeklyResources } from './recompute/daily.ts';
import { refreshFeatureDaily, refreshFeatureLast, refreshFeatureWindows, refreshWeeklyActivity } from './recompute/features.ts';
import { refreshResources } from './recompute/resources.ts';
import { refreshSpend } from './recompute/spend.ts';
import { fingerprint, refreshAppStats } from './recompute/stats.ts';
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
const RESOURCE_STREAMS = ['droplets', 'volumes', 'snapshots', 'databases', 'apps', 'kubernetes_clusters', 'load_balancers', 'firewalls', 'projects', 'project_resources', 'invoices', 'invoice_items', 'droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics'];
const SPEND_STREAMS = ['invoices', 'invoice_items', 'members'];

async function settingsOf(db: Database, connectionId: string) {
  return (await db.selectFrom('app_settings').select(['price_per_seat', 'seat_count_override', 'plan_name', 'inactivity_threshold_days']).where('connection_id', '=', connectionId).executeTakeFirst()) ?? null;
}

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
      await sql<{ accounts: string[] | null; days: string[] | null; pair_accounts: string[] | null; pair_days: string[] | null }>`
        with d as (delete from activity_dirty where connection_id = ${c.id} returning account_id, day)
        select array_agg(distinct account_id) as accounts, array_agg(distinct day::text order by day::text) as days,
               array_agg(account_id) as pair_accounts, array_agg(day::text) as pair_days from d`.execute(db)
    ).rows[0]!;
    const state = await db.selectFrom('analytics_state').select(['computed_at', 'fingerprints']).where('connection_id', '=', c.id).executeTakeFirst();
    const full = options.full === true || !state;
    const before = full ? {} : state.fingerprints;
    const fingerprints: Record<string, string> = {};
    // A stream's records change only when a sync commits a page of it (moving its checkpoint): streams no
    // sync touched since the last recompute keep their fingerprint without reading their records.
    const touched = new Set(
      full || !state
        ? []
        : (await db.selectFrom('sync_checkpoints').select('stream').distinct().where('connection_id', '=', c.id).where('updated_at', '>', state.computed_at).execute()).map((r) => r.stream),
    );
    const changed = async (name: string, streams: string[], extra: unknown) => {
      const previous = before[name];
      const extraPart = JSON.stringify(extra);
      if (previous !== undefined && !streams.some((x) => touched.has(x))) {
        fingerprints[name] = `${previous.slice(0, previous.lastIndexOf('|'))}|${extraPart}`;
      } else {
        fingerprints[name] = `${await fingerprint(db, c.id, streams, today)}|${extraPart}`;
      }
      return fingerprints[name] !== previous;
    };
    const days = dirty.days ?? [];
    const accounts = dirty.accounts ?? [];
    const changedAccounts: string[] | 'all' = full || accounts.length > MANY_ACCOUNTS ? 'all' : accounts;
    const earliest = full
      ? ((await sql<{ d: string | null }>`select min(day)::text as d from activity_daily where connection_id = ${c.id}`.execute(db)).rows[0]!.d ?? today)
      : (days[0] ?? today);
    const fromDay = earliest < addDays(today, -HISTORY_DAYS) ? addDays(today, -HISTORY_DAYS) : earliest;
    const lastDaily = (await sql<{ d: string | null }>`select max(day)::text as d from app_daily_active where connection_id = ${c.id}`.execute(db)).rows[0]!.d;
    // The trailing windows move every day even without new facts: days since the last recompute are due too.
    const dailyFrom = [fromDay, lastDaily && !full ? addDays(lastDaily, 1) : fromDay, today].sort()[0]!;
    const people = isPeopleBased(c.provider);

    const seatsChanged = people && (await changed('seats', ['members', 'workspace_permissions'], null));
    if (seatsChanged) await step('seats', () => refreshSeats(db, c));
    const pairs = { accounts: dirty.pair_accounts ?? [], days: dirty.pair_days ?? [] };
    await step('accounts', () => refreshActivitySummary(db, c, changedAccounts === 'all' ? 'all' : pairs));
    if (people) {
      const linked = await step('people', () => linkPeople(db, c));
      // Seats decide who counts as a member: when they change, every day and week is recounted.
      const everything = full || seatsChanged;
      const settings = await settingsOf(db, c.id);
      const thresholdChanged = await changed('threshold', [], settings?.inactivity_threshold_days ?? null);
      await step('feature_last', () => refreshFeatureLast(db, c.id, everything || changedAccounts === 'all' ? 'all' : pairs, today));
      await step('feature_daily', () => refreshFeatureDaily(db, c.id, everything || changedAccounts === 'all' ? 'all' : days));
      await step('windows', () => refreshFeatureWindows(db, c.id, today));
      await step('weekly', () => refreshWeeklyActivity(db, c.id, everything || changedAccounts === 'all' ? 'all' : days.map(weekOf), today));
      const allPeople = everything || thresholdChanged || changedAccounts === 'all';
      await step('people_stats', () => refreshPeopleStats(db, { connectionId: c.id, ...(allPeople ? {} : { accounts: [...new Set([...accounts, ...linked.linked])] }) }, c.organizationId));
    } else if (await changed('resources', RESOURCE_STREAMS, today)) {
      await step('resources', () => refreshResources(db, c, today));
      await step('weekly', () => refreshWeeklyResources(db, c.id, today));
    }
    await step('daily', () => refreshDailyActive(db, c.id, seatsChanged ? [fromDay, addDays(today, -89)].sort()[0]! : dailyFrom, today, people));
    if (people) await step('stats', () => refreshAppStats(db, c.id, today));
    const money = await settingsOf(db, c.id);
    if (await changed('spend', SPEND_STREAMS, { month: today.slice(0, 7), price: money?.price_per_seat, seats: money?.seat_count_override, plan: money?.plan_name })) {
      await step('spend', () => refreshSpend(db, c, today));
    }
    const findings = await step('findings', () => findingsFor(db, c, today, now));
    await step('insights', () => saveFindings(db, c, findings, now));
    const durationMs = Math.round(performance.now() - started);
    const values = { computed_at: now, duration_ms: durationMs, fingerprints: JSON.stringify(fingerprints) };
    await db
      .insertInto('analytics_state')
      .values({ connection_id: c.id, organization_id: c.organizationId, ...values })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet(values))
      .execute();
    return { connectionId: c.id, full, dirtyAccounts: accounts.length, fromDay: days[0] ?? (full ? fromDay : null), durationMs, steps };
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
  // Cached dashboard answers of the organization, in every process, are recomputed on their next read.
  await bumpAnalyticsVersionOfConnections(ctx, [connectionId]);
});
