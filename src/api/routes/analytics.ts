import {
  AppDetail,
  AppDetailQuery,
  AppList,
  AppMemberList,
  AppMembersQuery,
  AppParams,
  AppSettings,
  AppsQuery,
  FeatureList,
  FeaturesQuery,
  InvoiceLineList,
  ListQuery,
  Overview,
  OverviewQuery,
  RecomputeResult,
  RenewalList,
  RenewalsQuery,
  ResourceDetail,
  ResourceDetailQuery,
  ResourceList,
  ResourceParams,
  ResourcesQuery,
  SpendLineList,
  SpendLinesQuery,
  SpendQuery,
  SpendSummary,
  UpdateAppSettingsRequest,
} from '../contracts/analytics.ts';
import { OrgParams } from '../contracts/common.ts';
import type { AppContext } from '../../context.ts';
import { recomputeAnalytics, recomputeOrganization } from '../../analytics/index.ts';
import { bumpAnalyticsVersion } from '../../analytics/cache.ts';
import { appDetail, appMembers, appOrNotFound } from '../../analytics/queries/apps.ts';
import { appInvoiceLines, appsList, featuresList, renewalsList, spendLines } from '../../analytics/queries/lists.ts';
import { overview } from '../../analytics/queries/overview.ts';
import { resourceDetail, resourcesList } from '../../analytics/queries/resources.ts';
import { getSettings, updateSettings } from '../../analytics/queries/settings.ts';
import { spendSummary } from '../../analytics/queries/spend.ts';
import { requireOrg, type TallyApp } from '../server.ts';
import { actor, cached, cachedList, CSV_NOTE, today } from './analytics-support.ts';

const tags = ['analytics'];
const base = '/api/orgs/:orgId/analytics';

/** Seats, activity, features, spend, resources and renewals (contract: src/api/contracts/analytics.ts). */
export function analyticsRoutes(app: TallyApp, ctx: AppContext): void {
  app.get(`${base}/overview`, {
    config: { access: 'member' },
    schema: { tags, summary: 'The landing figures across every app: seats, activity, spend, insights, renewals', params: OrgParams, querystring: OverviewQuery, response: { 200: Overview } },
    handler: async (req, reply) => cached(ctx, req, reply, () => overview(ctx.db, requireOrg(req).id, req.query, new Date())),
  });

  app.get(`${base}/apps`, {
    config: { access: 'member' },
    schema: { tags, summary: `Every connected app with its seats, activity and spend.${CSV_NOTE}`, params: OrgParams, querystring: AppsQuery, response: { 200: AppList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'apps', () => appsList(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.get(`${base}/apps/:appId`, {
    config: { access: 'member' },
    schema: { tags, summary: 'One app: seats, activity over time, feature adoption, resources, spend by month', params: AppParams, querystring: AppDetailQuery, response: { 200: AppDetail } },
    handler: async (req, reply) => cached(ctx, req, reply, () => appDetail(ctx.db, requireOrg(req).id, req.params.appId, req.query, today())),
  });

  app.get(`${base}/apps/:appId/members`, {
    config: { access: 'member' },
    schema: { tags, summary: `An app’s members table: last activity, usage level, feature counts.${CSV_NOTE}`, params: AppParams, querystring: AppMembersQuery, response: { 200: AppMemberList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'members', () => appMembers(ctx.db, requireOrg(req).id, req.params.appId, req.query, today())),
  });

  app.get(`${base}/apps/:appId/invoices`, {
    config: { access: 'member' },
    schema: { tags, summary: `An app’s spend lines by month, product and project.${CSV_NOTE}`, params: AppParams, querystring: ListQuery, response: { 200: InvoiceLineList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'invoices', () => appInvoiceLines(ctx.db, requireOrg(req).id, req.params.appId, req.query, today())),
  });

  app.get(`${base}/apps/:appId/settings`, {
    config: { access: 'member' },
    schema: { tags, summary: 'What an admin entered about the app: plan, price per seat, seats, renewal, inactivity threshold', params: AppParams, response: { 200: AppSettings } },
    handler: async (req) => {
      const orgId = requireOrg(req).id;
      await appOrNotFound(ctx.db, orgId, req.params.appId);
      return getSettings(ctx.db, orgId, req.params.appId);
    },
  });

  app.put(`${base}/apps/:appId/settings`, {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the app’s plan, price per seat, seat count, renewal or inactivity threshold (recomputes its figures)', params: AppParams, body: UpdateAppSettingsRequest, response: { 200: AppSettings } },
    handler: async (req) => {
      const orgId = requireOrg(req).id;
      await appOrNotFound(ctx.db, orgId, req.params.appId);
      await updateSettings(ctx.db, orgId, req.params.appId, req.body, await actor(ctx, req));
      await recomputeAnalytics(ctx, req.params.appId);
      return getSettings(ctx.db, orgId, req.params.appId);
    },
  });

  app.get(`${base}/features`, {
    config: { access: 'member' },
    schema: { tags, summary: `Feature adoption of every app, with the weekly trend.${CSV_NOTE}`, params: OrgParams, querystring: FeaturesQuery, response: { 200: FeatureList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'features', () => featuresList(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.get(`${base}/spend`, {
    config: { access: 'member' },
    schema: { tags, summary: 'Spend: month to date, forecast, change vs. last month, cost per active user, by month, app, product and project', params: OrgParams, querystring: SpendQuery, response: { 200: SpendSummary } },
    handler: async (req, reply) => cached(ctx, req, reply, () => spendSummary(ctx.db, requireOrg(req).id, req.query, new Date())),
  });

  app.get(`${base}/spend/lines`, {
    config: { access: 'member' },
    schema: { tags, summary: `Spend rows by month and app, product or project.${CSV_NOTE}`, params: OrgParams, querystring: SpendLinesQuery, response: { 200: SpendLineList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'spend', () => spendLines(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.get(`${base}/resources`, {
    config: { access: 'member' },
    schema: { tags, summary: `Cloud utilization: every resource with its cost and usage.${CSV_NOTE}`, params: OrgParams, querystring: ResourcesQuery, response: { 200: ResourceList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'resources', () => resourcesList(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.get(`${base}/resources/:resourceId`, {
    config: { access: 'member' },
    schema: { tags, summary: 'One cloud resource with its daily usage and monthly cost', params: ResourceParams, querystring: ResourceDetailQuery, response: { 200: ResourceDetail } },
    handler: async (req, reply) => cached(ctx, req, reply, () => resourceDetail(ctx.db, requireOrg(req).id, req.params.resourceId, req.query, today())),
  });

  app.get(`${base}/renewals`, {
    config: { access: 'member' },
    schema: { tags, summary: `Review before renewal: apps renewing soon, their utilization and the seats that could be cut.${CSV_NOTE}`, params: OrgParams, querystring: RenewalsQuery, response: { 200: RenewalList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'renewals', () => renewalsList(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.post(`${base}/recompute`, {
    config: { access: 'admin' },
    schema: { tags, summary: 'Recompute every app’s figures and insights now (also done after each sync)', params: OrgParams, response: { 200: RecomputeResult } },
    handler: async (req) => {
      const started = Date.now();
      const orgId = requireOrg(req).id;
      const results = await recomputeOrganization(ctx, orgId);
      await bumpAnalyticsVersion(ctx, [orgId]);
      return { apps: results.length, durationMs: Date.now() - started, computedAt: new Date().toISOString() };
    },
  });
}
