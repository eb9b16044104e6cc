import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { TallyError } from '../../errors.ts';
import { orgConnection, syncHealth, syncRuns } from '../../sync/views.ts';
import { requestSync, scheduleOf, setSchedule } from '../../sync/schedule.ts';
import { streamsFor } from '../../sync/streams.ts';
import type { ProviderSlug } from '../contracts/connections.ts';
import { Id } from '../contracts/common.ts';
import { SyncHealth, SyncNowAccepted, SyncNowRequest, SyncRunList, SyncRunsQuery, SyncSchedule, SyncScheduleUpdate } from '../contracts/sync.ts';
import { requireOrg, type TallyApp } from '../server.ts';

export function syncRoutes(app: TallyApp, ctx: AppContext): void {
  const OrgParams = z.object({ orgId: Id });
  const ConnectionParams = OrgParams.extend({ connectionId: Id });

  app.get('/api/orgs/:orgId/sync/runs', {
    config: { access: 'member' },
    schema: { tags: ['sync'], summary: 'Sync runs, newest first (optionally of one connection)', params: OrgParams, querystring: SyncRunsQuery, response: { 200: SyncRunList } },
    handler: async (req) => {
      const orgId = requireOrg(req).id;
      if (req.query.connectionId) await orgConnection(ctx, orgId, req.query.connectionId);
      return syncRuns(ctx, orgId, req.query);
    },
  });

  app.get('/api/orgs/:orgId/sync/health', {
    config: { access: 'member' },
    schema: { tags: ['sync'], summary: 'Per connection: schedule, running and last run, quarantine; provider-health events', params: OrgParams, response: { 200: SyncHealth } },
    handler: async (req) => syncHealth(ctx, requireOrg(req).id),
  });

  app.post('/api/orgs/:orgId/connections/:connectionId/sync', {
    config: { access: 'admin' },
    schema: { tags: ['sync'], summary: 'Sync now: queue a sync of this connection', params: ConnectionParams, body: SyncNowRequest, response: { 202: SyncNowAccepted } },
    handler: async (req, reply) => {
      const connection = await orgConnection(ctx, requireOrg(req).id, req.params.connectionId);
      if (connection.status !== 'active') {
        throw new TallyError('conflict', `This connection is ${connection.status === 'needs_reconnect' ? 'waiting to be reconnected' : 'disconnected'}: reconnect it, then sync.`);
      }
      const known = streamsFor(connection.provider as ProviderSlug, ctx.config).map((s) => s.name);
      const unknown = (req.body.streams ?? []).filter((s) => !known.includes(s));
      if (unknown.length) throw new TallyError('invalid_request', `Unknown stream(s): ${unknown.join(', ')}. This connection has: ${known.join(', ')}.`);
      const queued = await requestSync(ctx, { connectionId: connection.id, trigger: 'manual', ...(req.body.streams ? { streams: req.body.streams } : {}), ...(req.body.full ? { full: true } : {}) });
      return reply.code(202).send({
        queued,
        message: queued ? 'The sync is queued and starts as soon as a worker is free.' : 'A sync of this connection is already waiting to start; it will bring everything up to date.',
      });
    },
  });

  app.put('/api/orgs/:orgId/connections/:connectionId/sync/schedule', {
    config: { access: 'admin' },
    schema: { tags: ['sync'], summary: 'How often this connection syncs its activity and its billing', params: ConnectionParams, body: SyncScheduleUpdate, response: { 200: SyncSchedule } },
    handler: async (req) => {
      const connection = await orgConnection(ctx, requireOrg(req).id, req.params.connectionId);
      await setSchedule(ctx, connection.id, req.body);
      return scheduleOf(ctx, connection.id);
    },
  });
}
