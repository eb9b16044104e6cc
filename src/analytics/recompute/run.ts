import { sql } from 'kysely';
import type { Logger } from '../../log.ts';
import type { Database } from '../../store/database.ts';
import { addDays, utcDay, weekOf } from '../dates.ts';
import { isPeopleBased } from '../features.ts';
import { findingsOf, type AppRow } from '../insights/generate.ts';
import { saveFindings } from '../insights/store.ts';
import { linkPeople, pendingLinks } from '../people/link.ts';
import { refreshPeopleStats } from '../people/stats.ts';
import { appName, showsData } from '../queries/apps-shared.ts';
import { rebuildActivitySummary, refreshActivitySummary, refreshSeats } from './accounts.ts';
import { distinctPairs, noChanges, type Changes } from './changes.ts';
import { refreshDailyActive, refreshWeeklyResources } from './daily.ts';
import { rebuildFeatureLast, refreshCurrentFeatureUse, refreshFeatureDaily, refreshFeatureLast, refreshWeeklyActivity } from './features.ts';
import { refreshResources, refreshUsage } from './resources.ts';
import { refreshSpend } from './spend.ts';
import { fingerprint, refreshAppStats } from './stats.ts';

export type AnalyticsContext = { db: Database; log: Logger };
export type RecomputeOptions = {
  /** Rebuild every rollup of the connections from all their history, not just what changed. */
  full?: boolean;
  /** The clock, for tests and benchmarks. */
  now?: Date;
};
export type RecomputeResult = {
  connectionId: string;
  full: boolean;
  dirtyAccounts: number;
  fromDay: string | null;
  /** The whole recompute this connection was part of (several connections are recomputed together). */
  durationMs: number;
  /** Milliseconds per step of that recompute, for the benchmark and for debugging a slow recompute. */
  steps: Record<string, number>;
};

/** How far back daily series go on a full rebuild. */
const HISTORY_DAYS = 730;
/** A recompute that rewrote this many people vacuums the table (see below). */
const VACUUM_AFTER_PEOPLE = 1000;
/** Beyond this many changed accounts in a connection, one scan of it beats per-account lookups. */
const MANY_ACCOUNTS = 5000;
const RESOURCE_STREAMS = ['droplets', 'volumes', 'snapshots', 'databases', 'apps', 'kubernetes_clusters', 'load_balancers', 'firewalls', 'projects', 'project_resources', 'invoices', 'invoice_items'];
const METRIC_STREAMS = ['droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics'];
const SPEND_STREAMS = ['invoices', 'invoice_items', 'members'];

/** What one connection's recompute does, decided before any rollup is written. */
type Plan = {
  c: AppRow;
  people: boolean;
  full: boolean;
  /** Rebuild the account-level rollups from all history rather than merge the changes into them. */
  rebuild: boolean;
  /** Distinct accounts and days (ascending) whose activity changed. */
  accounts: string[];
  days: string[];
  fromDay: string;
  dailyFrom: string;
  seatsChanged: boolean;
  /** Streams a sync wrote since the last recompute. */
  touched: Set<string>;
  /** Fingerprints of the inputs of the steps that can be skipped: as last time, and as now. */
  before: Record<string, string>;
  fingerprints: Record<string, string>;
};

/**
 * Brings some connections' analytics up to date after their syncs (call it when a sync run ends, whatever
 * its outcome: a failed run is an insight too). Only the accounts and days whose activity changed since
 * the last recompute are looked at (the triggers on activity_events record them); seats, resources, spend
 * and insights are rebuilt where their synced records changed. Connections are recomputed together, each
 * step one statement over all of them, in one transaction per organization: a failure leaves the previous
 * figures and the record of what changed, so the next call redoes it. Recomputes of one organization run
 * one at a time (they share its people directory).
 */
export async function recomputeConnections(ctx: AnalyticsContext, connectionIds: string[], options: RecomputeOptions = {}): Promise<RecomputeResult[]> {
  if (!connectionIds.length) return [];
  const rows = await ctx.db
    .selectFrom('connections')
    .select(['id', 'organization_id', 'provider', 'status', 'status_reason', 'account'])
    .where('id', 'in', [...new Set(connectionIds)])
    .where(showsData('connections'))
    .orderBy('id')
    .execute();
  const byOrg = new Map<string, AppRow[]>();
  for (const r of rows) {
    const app: AppRow = { id: r.id, organizationId: r.organization_id, provider: r.provider, name: appName(r.provider, r.account), status: r.status, statusReason: r.status_reason };
    const list = byOrg.get(r.organization_id);
    if (list) list.push(app);
    else byOrg.set(r.organization_id, [app]);
  }
  const out: RecomputeResult[] = [];
  for (const [organizationId, apps] of byOrg) out.push(...(await recomputeGroup(ctx, organizationId, apps, options)));
  return out;
}

async function recomputeGroup(ctx: AnalyticsContext, organizationId: string, apps: AppRow[], options: RecomputeOptions): Promise<RecomputeResult[]> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const today = utcDay(now);
  const ids = apps.map((a) => a.id);
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await work();
    } finally {
      steps[name] = Math.round(((steps[name] ?? 0) + performance.now() - at) * 10) / 10;
    }
  };
  let peopleRewritten = 0;
  const plans = await ctx.db.transaction().execute(async (db) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`analytics:${organizationId}`}))`.execute(db);
    // The activity triggers take these locks too, in connection order as here: no page of these
    // connections commits while their changes are read.
    await sql`select count(pg_advisory_xact_lock(hashtext('activity:' || x))) from (select x from unnest(${ids}::uuid[]) x order by x offset 0) s`.execute(db);
    // A disconnect that deleted a connection's data while this waited for the locks (it takes them too):
    // nothing of that connection is written back.
    const kept = new Set((await db.selectFrom('connections').select('id').where('id', 'in', ids).where(showsData('connections')).execute()).map((r) => r.id));
    const live = apps.filter((a) => kept.has(a.id));
    if (!live.length) return [];
    const { plans, changes } = await step('plan', () => planAll(db, live, today, options));
    const rebuilt = plans.filter((p) => p.rebuild);
    // The changes of the connections merged incrementally (the others are rebuilt from all their history).
    const merged = only(changes, new Set(plans.filter((p) => !p.rebuild).map((p) => p.c.id)));

    for (const p of plans.filter((x) => x.seatsChanged)) await step('seats', () => refreshSeats(db, p.c));
    await step('accounts', async () => {
      for (const p of rebuilt) await rebuildActivitySummary(db, p.c);
      await refreshActivitySummary(db, organizationId, merged);
    });
    const people = plans.filter((p) => p.people);
    if (people.length) peopleRewritten = await recomputePeopleRollups(db, organizationId, people, merged, today, step);
    for (const p of plans.filter((x) => !x.people)) {
      // The resources themselves (names, sizes, projects, costs) change only with their records; their
      // usage windows and date-bound flags move every day.
      const definitions = await changed(db, p, 'resources', RESOURCE_STREAMS, null, today);
      const usage = await changed(db, p, 'usage', METRIC_STREAMS, today, today);
      if (!definitions && !usage) continue;
      await step('resources', () => (definitions ? refreshResources(db, p.c, today) : refreshUsage(db, p.c, today)));
      await step('weekly', () => refreshWeeklyResources(db, p.c.id, today));
    }
    // Seats decide who counts as a member: when they change, the last 90 days are recounted.
    const daily = plans.map((p) => ({ connectionId: p.c.id, start: p.seatsChanged ? [p.fromDay, addDays(today, -89)].sort()[0]! : p.dailyFrom, membersOnly: p.people }));
    await step('daily', () => refreshDailyActive(db, daily, today));
    await step('stats', () => refreshAppStats(db, people.map((p) => p.c.id), today));
    const money = await settingsOf(db, ids);
    for (const p of plans) {
      const m = money.get(p.c.id);
      if (await changed(db, p, 'spend', SPEND_STREAMS, { month: today.slice(0, 7), price: m?.price_per_seat, seats: m?.seat_count_override, plan: m?.plan_name }, today)) {
        await step('spend', () => refreshSpend(db, p.c, today));
      }
    }
    const findings = await step('findings', () => findingsOf(db, live, today, now));
    await step('insights', () => saveFindings(db, organizationId, findings, now));
    await sql`
      insert into analytics_state as s (connection_id, organization_id, computed_at, duration_ms, fingerprints)
      select x.id, ${organizationId}, ${now}::timestamptz, ${Math.round(performance.now() - started)}, x.fingerprints
      from jsonb_to_recordset(${JSON.stringify(plans.map((p) => ({ id: p.c.id, fingerprints: p.fingerprints })))}::jsonb) as x(id uuid, fingerprints jsonb)
      on conflict (connection_id) do update set computed_at = excluded.computed_at, duration_ms = excluded.duration_ms, fingerprints = excluded.fingerprints`.execute(db);
    return plans;
  });
  // The directory's reads (its counts, search and pages) are answered from its indexes alone only where the
  // table's pages are marked all-visible; refreshing thousands of people clears that mark on most of them,
  // and until autovacuum comes by (a minute or more) every read would visit each row. A vacuum of the people
  // table sets it again at once (tens of milliseconds); skipped while another one runs, and after a recompute
  // that rewrote few people (their rows are then visited, which costs little).
  if (peopleRewritten >= VACUUM_AFTER_PEOPLE) await step('vacuum', () => sql`vacuum (skip_locked, analyze off) people`.execute(ctx.db));
  const durationMs = Math.round(performance.now() - started);
  ctx.log.info({ organizationId, connectionIds: plans.map((p) => p.c.id), durationMs, steps }, 'analytics recomputed');
  return plans.map((p) => ({ connectionId: p.c.id, full: p.full, dirtyAccounts: p.accounts.length, fromDay: p.days[0] ?? (p.full ? p.fromDay : null), durationMs, steps }));
}

type Step = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** The people directory and feature adoption of people-based apps (Bitbucket); how many people rows it rewrote. */
async function recomputePeopleRollups(db: Database, organizationId: string, people: Plan[], merged: Changes, today: string, step: Step): Promise<number> {
  const peopleIds = people.map((p) => p.c.id);
  const linked = await step('people', async () => {
    const out = { connections: [] as string[], values: [] as string[] };
    // Usually nobody is new: one check for all, and the linking only in connections where it has work.
    const pending = await pendingLinks(db, peopleIds);
    for (const p of people.filter((x) => pending.has(x.c.id))) {
      for (const account of (await linkPeople(db, p.c)).linked) {
        out.connections.push(p.c.id);
        out.values.push(account);
      }
    }
    return out;
  });
  const settings = await settingsOf(db, peopleIds);
  const thresholdChanged = new Set<string>();
  for (const p of people) if (await changed(db, p, 'threshold', [], settings.get(p.c.id)?.inactivity_threshold_days ?? null, today)) thresholdChanged.add(p.c.id);
  // Seats decide who counts as a member: when they change, every day and week is recounted.
  const everything = people.filter((p) => p.rebuild || p.seatsChanged).map((p) => p.c.id);
  const changes = only(merged, new Set(peopleIds.filter((id) => !everything.includes(id))));
  await step('feature_last', async () => {
    await rebuildFeatureLast(db, everything, today);
    await refreshFeatureLast(db, changes, today);
  });
  await step('feature_daily', () => refreshFeatureDaily(db, everything, distinctPairs(changes, (i) => changes.days[i]!)));
  await step('weekly', () => refreshWeeklyActivity(db, everything, distinctPairs(changes, (i) => weekOf(changes.days[i]!)), today));
  await step('windows', () => refreshCurrentFeatureUse(db, peopleIds, today));
  // Everyone with an account in a connection whose seats or threshold changed; else who changed or was linked.
  const whole = peopleIds.filter((id) => everything.includes(id) || thresholdChanged.has(id));
  const touched = distinctPairs(changes, (i) => changes.accounts[i]!);
  const accounts = { connections: [] as string[], values: [] as string[] };
  [touched, linked].forEach((list) =>
    list.connections.forEach((c, i) => {
      if (whole.includes(c)) return;
      accounts.connections.push(c);
      accounts.values.push(list.values[i]!);
    }),
  );
  return step('people_stats', () => refreshPeopleStats(db, { connections: whole, accounts }, organizationId));
}

/** Reads and clears what changed, and decides each connection's work. */
async function planAll(db: Database, apps: AppRow[], today: string, options: RecomputeOptions): Promise<{ plans: Plan[]; changes: Changes }> {
  const ids = apps.map((a) => a.id);
  const dirty = (
    await sql<{ connection_id: string; account_id: string; day: string }>`
      with d as (delete from activity_dirty where connection_id = any(${ids}::uuid[]) returning connection_id, account_id, day)
      select connection_id, account_id, day::text as day from d order by 1, 2, 3`.execute(db)
  ).rows;
  const changes = noChanges();
  for (const r of dirty) {
    changes.connections.push(r.connection_id);
    changes.accounts.push(r.account_id);
    changes.days.push(r.day);
  }
  const states = new Map((await db.selectFrom('analytics_state').select(['connection_id', 'computed_at', 'fingerprints']).where('connection_id', 'in', ids).execute()).map((s) => [s.connection_id, s]));
  // A stream's records change only when a sync commits a page of it (moving its checkpoint): streams no
  // sync touched since the last recompute keep their fingerprint without reading their records.
  const touched = await sql<{ connection_id: string; stream: string }>`
    select distinct k.connection_id, k.stream from sync_checkpoints k join analytics_state s on s.connection_id = k.connection_id
    where k.connection_id = any(${ids}::uuid[]) and k.updated_at > s.computed_at`.execute(db);
  const lastDaily = await sql<{ id: string; d: string | null }>`
    select x.id, (select max(day)::text from app_daily_active where connection_id = x.id) as d from unnest(${ids}::uuid[]) as x(id)`.execute(db);
  const lastDailyOf = new Map(lastDaily.rows.map((r) => [r.id, r.d]));
  const dirtyOf = new Map<string, typeof dirty>();
  for (const r of dirty) {
    const list = dirtyOf.get(r.connection_id);
    if (list) list.push(r);
    else dirtyOf.set(r.connection_id, [r]);
  }
  const plans: Plan[] = [];
  for (const c of apps) {
    const state = states.get(c.id);
    const full = options.full === true || !state;
    const mine = dirtyOf.get(c.id) ?? [];
    const accounts = [...new Set(mine.map((r) => r.account_id))];
    const days = [...new Set(mine.map((r) => r.day))].sort();
    const earliest = full
      ? ((await sql<{ d: string | null }>`select min(day)::text as d from activity_daily where connection_id = ${c.id}`.execute(db)).rows[0]!.d ?? today)
      : (days[0] ?? today);
    const fromDay = earliest < addDays(today, -HISTORY_DAYS) ? addDays(today, -HISTORY_DAYS) : earliest;
    const last = lastDailyOf.get(c.id) ?? null;
    const plan: Plan = {
      c,
      people: isPeopleBased(c.provider),
      full,
      rebuild: full || accounts.length > MANY_ACCOUNTS,
      accounts,
      days,
      fromDay,
      // The trailing windows move every day even without new facts: days since the last recompute are due too.
      dailyFrom: [fromDay, last && !full ? addDays(last, 1) : fromDay, today].sort()[0]!,
      seatsChanged: false,
      touched: new Set(full ? [] : touched.rows.filter((t) => t.connection_id === c.id).map((t) => t.stream)),
      before: full || !state ? {} : state.fingerprints,
      fingerprints: {},
    };
    plan.seatsChanged = plan.people && (await changed(db, plan, 'seats', ['members', 'workspace_permissions'], null, today));
    plans.push(plan);
  }
  return { plans, changes };
}

/**
 * Whether a step's inputs changed since the last recompute: the fingerprint of its streams' records
 * (kept as it was when no sync wrote them since) with its other inputs (`extra`).
 */
async function changed(db: Database, p: Plan, name: string, streams: string[], extra: unknown, today: string): Promise<boolean> {
  const previous = p.before[name];
  const extraPart = JSON.stringify(extra);
  if (previous !== undefined && !streams.some((x) => p.touched.has(x))) {
    p.fingerprints[name] = `${previous.slice(0, previous.lastIndexOf('|'))}|${extraPart}`;
  } else {
    p.fingerprints[name] = `${await fingerprint(db, p.c.id, streams, today)}|${extraPart}`;
  }
  return p.fingerprints[name] !== previous;
}

async function settingsOf(db: Database, connectionIds: string[]) {
  if (!connectionIds.length) return new Map();
  const rows = await db.selectFrom('app_settings').select(['connection_id', 'price_per_seat', 'seat_count_override', 'plan_name', 'inactivity_threshold_days']).where('connection_id', 'in', connectionIds).execute();
  return new Map(rows.map((r) => [r.connection_id, r]));
}

/** The changes of some connections only. */
function only(c: Changes, connections: Set<string>): Changes {
  const out = noChanges();
  for (let i = 0; i < c.connections.length; i++) {
    if (!connections.has(c.connections[i]!)) continue;
    out.connections.push(c.connections[i]!);
    out.accounts.push(c.accounts[i]!);
    out.days.push(c.days[i]!);
  }
  return out;
}
