import { sql } from 'kysely';
import { afterEachSync } from '../sync/schedule.ts';
import { bumpAnalyticsVersionOfConnections } from './cache.ts';
import { recomputeConnections, type AnalyticsContext, type RecomputeOptions, type RecomputeResult } from './recompute/run.ts';

export { recomputeConnections, type AnalyticsContext, type RecomputeOptions, type RecomputeResult };

/** One connection's analytics, brought up to date (recompute/run.ts). */
export async function recomputeAnalytics(ctx: AnalyticsContext, connectionId: string, options: RecomputeOptions = {}): Promise<RecomputeResult | null> {
  return (await recomputeConnections(ctx, [connectionId], options))[0] ?? null;
}

/** Every connection of an organization, together (after a settings change, or on an admin's request). */
export async function recomputeOrganization(ctx: AnalyticsContext, organizationId: string, options: RecomputeOptions = {}): Promise<RecomputeResult[]> {
  const connections = await ctx.db.selectFrom('connections').select('id').where('organization_id', '=', organizationId).execute();
  return recomputeConnections(ctx, connections.map((c) => c.id), options);
}

/**
 * The connections of an organization whose analytics are behind their data: activity changed since the
 * last recompute, a sync run ended after it, or never recomputed. What one recompute after syncs takes on,
 * so that syncs ending together are recomputed together (and a sync whose connection another recompute
 * already caught up costs one query).
 */
export async function pendingConnections(ctx: AnalyticsContext, organizationId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select c.id from connections c left join analytics_state s on s.connection_id = c.id
    where c.organization_id = ${organizationId}
      and (s.connection_id is null
        or exists (select 1 from activity_dirty d where d.connection_id = c.id)
        or exists (select 1 from sync_runs r where r.connection_id = c.id and r.finished_at >= s.computed_at))`.execute(ctx.db);
  return rows.rows.map((r) => r.id);
}

/** Recomputes what is behind in an organization (pendingConnections), and `also` whatever their state. */
export async function recomputePending(ctx: AnalyticsContext, organizationId: string, also: string[] = [], options: RecomputeOptions = {}): Promise<RecomputeResult[]> {
  return recomputeConnections(ctx, [...new Set([...(await pendingConnections(ctx, organizationId)), ...also])], options);
}

// Every process that can sync (serve, worker, the CLI) imports this module through the API routes: each
// sync, whatever its outcome, is followed by the recompute of its organization's connections that are
// behind (its own among them, unless a recompute that ran meanwhile caught it up).
afterEachSync(async (ctx, connectionId, result) => {
  const c = await ctx.db.selectFrom('connections').select('organization_id').where('id', '=', connectionId).executeTakeFirst();
  if (!c) return;
  // Mid-run (the first sync's member lists are in), the run has not ended: this connection is due anyway.
  await recomputePending(ctx, c.organization_id, result === null ? [connectionId] : []);
  // Cached dashboard answers of the organization, in every process, are recomputed on their next read.
  await bumpAnalyticsVersionOfConnections(ctx, [connectionId]);
});
