import { Insight, InsightList, InsightParams, InsightsQuery, InsightStateRequest } from '../contracts/analytics.ts';
import { OrgParams } from '../contracts/common.ts';
import type { AppContext } from '../../context.ts';
import { bumpAnalyticsVersion } from '../../analytics/cache.ts';
import { changeInsightState } from '../../analytics/insights/store.ts';
import { insightById, insightsList } from '../../analytics/queries/insights.ts';
import { requireOrg, type TallyApp } from '../server.ts';
import { actor, cached, cachedList, CSV_NOTE, today } from './analytics-support.ts';

const tags = ['analytics'];
const base = '/api/orgs/:orgId/analytics/insights';

/** Insights and their state (contract: src/api/contracts/analytics.ts). */
export function analyticsInsightRoutes(app: TallyApp, ctx: AppContext): void {
  app.get(base, {
    config: { access: 'member' },
    schema: { tags, summary: `Insights with evidence and estimated monthly saving, open ones by default.${CSV_NOTE}`, params: OrgParams, querystring: InsightsQuery, response: { 200: InsightList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'insights', () => insightsList(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.get(`${base}/:insightId`, {
    config: { access: 'member' },
    schema: { tags, summary: 'One insight', params: InsightParams, response: { 200: Insight } },
    handler: async (req, reply) => cached(ctx, req, reply, () => insightById(ctx.db, requireOrg(req).id, req.params.insightId, today())),
  });

  app.post(`${base}/:insightId/state`, {
    config: { access: 'admin' },
    schema: { tags, summary: 'Dismiss, snooze, resolve or reopen an insight, with a note', params: InsightParams, body: InsightStateRequest, response: { 200: Insight } },
    handler: async (req) => {
      const organizationId = requireOrg(req).id;
      const who = await actor(ctx, req);
      await changeInsightState(ctx.db, { organizationId, insightId: req.params.insightId, userId: who.id, userName: who.name, state: req.body.state, note: req.body.note, snoozeUntil: req.body.snoozeUntil, today: today() });
      await bumpAnalyticsVersion(ctx, [organizationId]);
      return insightById(ctx.db, organizationId, req.params.insightId, today());
    },
  });
}
