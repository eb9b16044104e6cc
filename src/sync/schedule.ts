import { sql } from 'kysely';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import type { JobDefinition } from '../jobs/boss.ts';
import { runSync, type SyncOptions, type SyncResult } from './engine.ts';
import { SyncBusyError, sweepAbandonedRuns } from './runs.ts';
import { streamsFor } from './streams.ts';
import { streamGroup, type StreamGroup } from './types.ts';

/**
 * Syncs run as pg-boss jobs, so any `tally serve` or `tally worker` on any machine may take one. The queue
 * holds at most one waiting and one running job per connection (policy `stately`, keyed by connection), and
 * the engine's unique index allows one running sync per connection whatever started it (a job, the CLI).
 */
export const SYNC_QUEUE = 'sync.run';

export const DEFAULT_ACTIVITY_MINUTES = 60;
export const DEFAULT_BILLING_MINUTES = 24 * 60;

export type SyncJob = {
  connectionId: string;
  trigger: string;
  /** Stream groups to run (hourly activity, daily billing and member lists); all streams when absent. */
  groups?: StreamGroup[];
  streams?: string[];
  full?: boolean;
};

/**
 * What runs after each sync (analytics recompute), registered by the modules that need it. During a
 * connection's first sync it also runs once the member lists are in, with no result yet (null).
 */
type AfterSyncHook = (ctx: AppContext, connectionId: string, result: SyncResult | null) => Promise<void>;
const afterSyncHooks: AfterSyncHook[] = [];
export function afterEachSync(hook: AfterSyncHook): void {
  afterSyncHooks.push(hook);
}

/** Queues a sync of one connection. False when one is already waiting: that one will do. */
export async function requestSync(ctx: AppContext, job: SyncJob, startAfter?: Date): Promise<boolean> {
  if (!ctx.queue) throw new TallyError('internal', 'This process runs no job queue; start Tally with `tally serve` or `tally worker`.');
  const id = await ctx.queue.send(SYNC_QUEUE, job, { singletonKey: job.connectionId, ...(startAfter ? { startAfter } : {}) });
  return id !== null;
}

/**
 * Queues a sync of every stream now (a Connect or Reconnect) and counts it as the scheduled one of each
 * stream group, so the scheduler does not queue the same work again at its next tick.
 */
export async function requestCompleteSync(ctx: AppContext, connectionId: string, trigger: string): Promise<boolean> {
  if (!(await requestSync(ctx, { connectionId, trigger }))) return false;
  await stampSchedule(ctx, connectionId, ['activity', 'daily']);
  return true;
}

/** Runs one queued sync. A sync of the same connection already running elsewhere: try again in a minute. */
export const syncJob: JobDefinition<SyncJob> = {
  name: SYNC_QUEUE,
  policy: 'stately',
  // The engine retries requests itself and resumes from checkpoints; a job retry covers a crashed worker.
  retryLimit: 2,
  retryDelay: 30,
  expireInSeconds: 6 * 3600,
  heartbeatSeconds: 60,
  localConcurrency: 2,
  // Someone waits for a sync queued by Connect or Sync now: an idle worker takes it within half a second.
  pollingIntervalSeconds: 0.5,
  async run(ctx, data, job) {
    const connection = await ctx.db.selectFrom('connections').select(['id', 'provider', 'status']).where('id', '=', data.connectionId).executeTakeFirst();
    if (!connection) return; // disconnected and deleted meanwhile
    const streams = data.streams ?? (data.groups ? streamsFor(connection.provider as ProviderSlug, ctx.config).filter((s) => data.groups!.includes(streamGroup(s))).map((s) => s.name) : undefined);
    try {
      await syncConnection(ctx, data.connectionId, { trigger: data.trigger, signal: job.signal, ...(streams ? { streams } : {}), ...(data.full ? { full: true } : {}) });
    } catch (error) {
      if (!(error instanceof SyncBusyError)) throw error;
      ctx.log.info({ connectionId: data.connectionId }, 'a sync of this connection is already running; trying again in a minute');
      await requestSync(ctx, data, new Date(Date.now() + 60_000));
    }
  },
};

/** One sync, then what depends on fresh data (analytics). Used by the queue and by `tally sync`. */
export async function syncConnection(ctx: AppContext, connectionId: string, options: SyncOptions): Promise<SyncResult> {
  const rosterDone = await firstRosterEnd(ctx, connectionId, options);
  const afterStream = async (stream: string) => {
    await options.afterStream?.(stream);
    if (stream === rosterDone) await runAfterSyncHooks(ctx, connectionId, null);
  };
  const result = await runSync(ctx, connectionId, { ...options, afterStream });
  ctx.log.info({ connectionId, trigger: options.trigger, status: result.status, ...result.counters, skipped: result.counters.skipped.length }, 'sync finished');
  if (result.runId) await runAfterSyncHooks(ctx, connectionId, result);
  return result;
}

async function runAfterSyncHooks(ctx: AppContext, connectionId: string, result: SyncResult | null): Promise<void> {
  for (const hook of afterSyncHooks) {
    try {
      await hook(ctx, connectionId, result);
    } catch (error) {
      // The sync's data is committed; the next sync runs the step again.
      ctx.log.error({ connectionId, midRun: result === null, err: { message: (error as Error).message } }, 'after-sync step failed');
    }
  }
}

/**
 * A connection's first sync reads the member lists first (seats, people) and then, for a large workspace,
 * hours of history against the provider's rate limit. The stream after which its figures can already be
 * shown: the last stream that lists accounts without recording activity, when streams follow it. Null
 * once a sync has succeeded (the Overview shows the previous figures until the run ends).
 */
async function firstRosterEnd(ctx: AppContext, connectionId: string, options: SyncOptions): Promise<string | null> {
  const connection = await ctx.db.selectFrom('connections').select('provider').where('id', '=', connectionId).executeTakeFirst();
  if (!connection) return null;
  const all = options.streamDefinitions ?? streamsFor(connection.provider as ProviderSlug, ctx.config);
  const selected = options.streams ? all.filter((s) => options.streams!.includes(s.name)) : all;
  const last = selected.findLastIndex((s) => s.accounts && !s.activity);
  if (last < 0 || last === selected.length - 1) return null;
  const succeeded = await ctx.db.selectFrom('sync_runs').select('id').where('connection_id', '=', connectionId).where('status', '=', 'succeeded').limit(1).executeTakeFirst();
  return succeeded ? null : selected[last]!.name;
}

/**
 * Every minute: runs left "running" by a dead process are closed and resumed, and each active connection
 * whose activity or billing streams are due gets a sync queued. Connections that need Reconnect are not
 * scheduled (their syncs are paused) until an admin reconnects.
 */
export const scheduleSyncs: JobDefinition = {
  name: 'sync.schedule',
  cron: '* * * * *',
  retryLimit: 0,
  async run(ctx) {
    for (const connectionId of await sweepAbandonedRuns(ctx.db)) {
      await requestSync(ctx, { connectionId, trigger: 'resume' });
    }
    if (!ctx.config.syncSchedules) return;
    for (const due of await dueConnections(ctx)) {
      if (!(await requestSync(ctx, { connectionId: due.connectionId, trigger: `schedule:${due.groups.join('+')}`, groups: due.groups }))) continue;
      await stampSchedule(ctx, due.connectionId, due.groups);
    }
  },
};

/** Records that the groups' syncs were queued now: the next ones are due a schedule interval later. */
async function stampSchedule(ctx: AppContext, connectionId: string, groups: StreamGroup[]): Promise<void> {
  const now = new Date();
  const stamps = { ...(groups.includes('activity') ? { last_activity_at: now } : {}), ...(groups.includes('daily') ? { last_billing_at: now } : {}), updated_at: now };
  await ctx.db.insertInto('sync_schedules').values({ connection_id: connectionId, ...stamps }).onConflict((oc) => oc.column('connection_id').doUpdateSet(stamps)).execute();
}

/** Active connections with at least one stream group due, by their schedule (defaults: hourly, daily). */
export async function dueConnections(ctx: AppContext, now = new Date()): Promise<Array<{ connectionId: string; groups: StreamGroup[] }>> {
  const rows = await ctx.db
    .selectFrom('connections as c')
    .leftJoin('sync_schedules as s', 's.connection_id', 'c.id')
    .select(['c.id', 's.activity_every_minutes', 's.billing_every_minutes', 's.last_activity_at', 's.last_billing_at'])
    .where('c.status', '=', 'active')
    .execute();
  const due = (last: Date | null, minutes: number | null, fallback: number) => !last || now.getTime() - last.getTime() >= (minutes ?? fallback) * 60_000;
  return rows
    .map((r) => ({
      connectionId: r.id,
      groups: [
        ...(due(r.last_activity_at, r.activity_every_minutes, DEFAULT_ACTIVITY_MINUTES) ? (['activity'] as const) : []),
        ...(due(r.last_billing_at, r.billing_every_minutes, DEFAULT_BILLING_MINUTES) ? (['daily'] as const) : []),
      ],
    }))
    .filter((d) => d.groups.length > 0);
}

/** A connection's schedule, with when each group is next due (null while it cannot sync). */
export async function scheduleOf(ctx: AppContext, connectionId: string) {
  const row = await ctx.db
    .selectFrom('connections as c')
    .leftJoin('sync_schedules as s', 's.connection_id', 'c.id')
    .select(['c.status', 's.activity_every_minutes', 's.billing_every_minutes', 's.last_activity_at', 's.last_billing_at'])
    .where('c.id', '=', connectionId)
    .executeTakeFirstOrThrow();
  const activityEveryMinutes = row.activity_every_minutes ?? DEFAULT_ACTIVITY_MINUTES;
  const billingEveryMinutes = row.billing_every_minutes ?? DEFAULT_BILLING_MINUTES;
  const paused = row.status !== 'active';
  const next = (last: Date | null, minutes: number) => (paused ? null : new Date(Math.max(Date.now(), (last?.getTime() ?? 0) + minutes * 60_000)).toISOString());
  return { activityEveryMinutes, billingEveryMinutes, nextActivityAt: next(row.last_activity_at, activityEveryMinutes), nextBillingAt: next(row.last_billing_at, billingEveryMinutes), paused };
}

export async function setSchedule(ctx: AppContext, connectionId: string, s: { activityEveryMinutes: number; billingEveryMinutes: number }): Promise<void> {
  const values = { activity_every_minutes: s.activityEveryMinutes, billing_every_minutes: s.billingEveryMinutes, updated_at: new Date() };
  await ctx.db.insertInto('sync_schedules').values({ connection_id: connectionId, ...values }).onConflict((oc) => oc.column('connection_id').doUpdateSet(values)).execute();
}

/**
 * Whether a sync of the connection waits to start: queued, or taken by a worker that has not yet opened
 * its run (without the second case a page polling between the two would see neither and stop watching).
 */
export async function syncQueued(ctx: AppContext, connectionId: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job j
    where j.name = ${SYNC_QUEUE} and j.singleton_key = ${connectionId}
      and (j.state in ('created', 'retry')
        or (j.state = 'active' and not exists (
          select 1 from sync_runs r where r.connection_id = ${connectionId}::uuid and r.started_at >= j.started_on)))`.execute(ctx.db);
  return (r.rows[0]?.n ?? 0) > 0;
}
