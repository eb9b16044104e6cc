import { sql } from 'kysely';
import { appName } from '../analytics/queries/apps-shared.ts';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { SyncHealth, SyncRun } from '../api/contracts/sync.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import type { SyncRunsTable } from '../store/schema.ts';
import type { Selectable } from 'kysely';
import { scheduleOf, syncQueued } from './schedule.ts';

/** A connection of this organization, or 404 (another organization's ids are not found, never forbidden). */
export async function orgConnection(ctx: AppContext, organizationId: string, connectionId: string) {
  const row = await ctx.db.selectFrom('connections').select(['id', 'provider', 'status', 'organization_id']).where('id', '=', connectionId).where('organization_id', '=', organizationId).executeTakeFirst();
  if (!row) throw new TallyError('not_found', 'That connection was not found.');
  return row;
}

type RunRow = Selectable<SyncRunsTable> & { provider: string };

function toRun(r: RunRow): SyncRun {
  return {
    id: r.id,
    connectionId: r.connection_id,
    provider: r.provider as ProviderSlug,
    trigger: r.trigger,
    status: r.status,
    fullRefresh: r.full_refresh,
    streams: r.streams,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    durationMs: r.finished_at ? r.finished_at.getTime() - r.started_at.getTime() : null,
    pages: r.pages,
    requests: r.requests,
    recordsAdded: r.records_added,
    recordsUpdated: r.records_updated,
    recordsDeleted: r.records_deleted,
    retries: r.retries,
    rateLimitWaits: r.rate_limit_waits,
    rateLimitWaitMs: Number(r.rate_limit_wait_ms),
    quarantined: r.quarantined,
    skipped: (r.skipped ?? []) as SyncRun['skipped'],
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
  };
}

const runs = (ctx: AppContext) => ctx.db.selectFrom('sync_runs as r').innerJoin('connections as c', 'c.id', 'r.connection_id').selectAll('r').select('c.provider');

export async function syncRuns(ctx: AppContext, organizationId: string, q: { connectionId?: string | undefined; limit: number; before?: string | undefined }) {
  let query = runs(ctx).where('r.organization_id', '=', organizationId);
  if (q.connectionId) query = query.where('r.connection_id', '=', q.connectionId);
  if (q.before) query = query.where('r.started_at', '<', new Date(q.before));
  const rows = await query.orderBy('r.started_at', 'desc').limit(q.limit + 1).execute();
  const items = rows.slice(0, q.limit).map(toRun);
  return { items, nextBefore: rows.length > q.limit ? (items.at(-1)?.startedAt ?? null) : null };
}

/**
 * Read in one snapshot: a run that starts between a read of the running runs and the read of the queue
 * would otherwise be neither running nor queued, and a page polling while a sync is under way would stop.
 */
export async function syncHealth(ctx: AppContext, organizationId: string): Promise<SyncHealth> {
  return ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => syncHealthIn({ ...ctx, db: trx }, organizationId));
}

async function syncHealthIn(ctx: AppContext, organizationId: string): Promise<SyncHealth> {
  const connections = await ctx.db.selectFrom('connections').select(['id', 'provider', 'status', 'status_reason', 'account']).where('organization_id', '=', organizationId).where('status', '!=', 'disconnected').orderBy('provider').execute();
  const out: SyncHealth['connections'] = [];
  for (const c of connections) {
    const [running, last, succeeded, quarantined] = await Promise.all([
      runs(ctx).where('r.connection_id', '=', c.id).where('r.status', '=', 'running').executeTakeFirst(),
      runs(ctx).where('r.connection_id', '=', c.id).where('r.status', '!=', 'running').orderBy('r.started_at', 'desc').limit(1).executeTakeFirst(),
      ctx.db.selectFrom('sync_runs').select(sql<Date | null>`max(finished_at)`.as('at')).where('connection_id', '=', c.id).where('status', '=', 'succeeded').executeTakeFirst(),
      sql<{ n: number }>`select count(*)::int as n from sync_quarantine where connection_id = ${c.id} and created_at > now() - interval '30 days'`.execute(ctx.db),
    ]);
    out.push({
      connectionId: c.id,
      provider: c.provider as ProviderSlug,
      appName: appName(c.provider, c.account),
      accountName: typeof c.account?.name === 'string' ? c.account.name : null,
      status: c.status,
      statusReason: c.status_reason,
      schedule: await scheduleOf(ctx, c.id),
      running: running ? toRun(running) : null,
      lastRun: last ? toRun(last) : null,
      lastSucceededAt: succeeded?.at ? new Date(succeeded.at).toISOString() : null,
      queued: await syncQueued(ctx, c.id),
      quarantined: quarantined.rows[0]?.n ?? 0,
    });
  }
  const ids = connections.map((c) => c.id);
  const events = ids.length
    ? await ctx.db.selectFrom('provider_health').selectAll().where('connection_id', 'in', ids).orderBy('created_at', 'desc').limit(100).execute()
    : [];
  const quarantine = ids.length
    ? await ctx.db.selectFrom('sync_quarantine').select(['id', 'connection_id', 'stream', 'external_id', 'reason', 'created_at']).where('connection_id', 'in', ids).orderBy('created_at', 'desc').limit(100).execute()
    : [];
  return {
    connections: out,
    providerHealth: events.map((e) => ({ id: String(e.id), provider: e.provider as ProviderSlug, connectionId: e.connection_id, kind: e.kind, detail: e.detail, createdAt: e.created_at.toISOString() })),
    quarantine: quarantine.map((q) => ({ id: String(q.id), connectionId: q.connection_id, stream: q.stream, externalId: q.external_id, reason: q.reason, createdAt: q.created_at.toISOString() })),
  };
}
