import {
  AccountRef,
  PeopleQuery,
  PersonDetail,
  PersonDetailQuery,
  PersonList,
  PersonParams,
  ProposalList,
  ProposalsQuery,
  UpdatePersonRequest,
} from '../contracts/analytics.ts';
import { OrgParams } from '../contracts/common.ts';
import type { AppContext } from '../../context.ts';
import { bumpAnalyticsVersion } from '../../analytics/cache.ts';
import { confirmProposal, linkAccount, rejectProposal, unlinkAccount, updatePerson } from '../../analytics/people/admin.ts';
import { peopleList, personDetail, proposalsList } from '../../analytics/queries/people.ts';
import { requireOrg, type TallyApp } from '../server.ts';
import { actor, cached, cachedList, CSV_NOTE, today } from './analytics-support.ts';

const tags = ['analytics'];
const base = '/api/orgs/:orgId/analytics/people';

/** The people directory and an admin's corrections to it (contract: src/api/contracts/analytics.ts). */
export function analyticsPeopleRoutes(app: TallyApp, ctx: AppContext): void {
  app.get(base, {
    config: { access: 'member' },
    schema: { tags, summary: `The people directory: each person, their apps and status.${CSV_NOTE}`, params: OrgParams, querystring: PeopleQuery, response: { 200: PersonList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'people', () => peopleList(ctx.db, requireOrg(req).id, req.query, today())),
  });

  app.get(`${base}/proposals`, {
    config: { access: 'member' },
    schema: { tags, summary: `Proposed links of app accounts to people, for an admin to confirm or reject.${CSV_NOTE}`, params: OrgParams, querystring: ProposalsQuery, response: { 200: ProposalList } },
    handler: async (req, reply) => cachedList(ctx, req, reply, req.query, 'link-proposals', () => proposalsList(ctx.db, requireOrg(req).id, req.query)),
  });

  app.get(`${base}/:personId`, {
    config: { access: 'member' },
    schema: { tags, summary: 'One person: linked accounts, proposals and activity across apps over time', params: PersonParams, querystring: PersonDetailQuery, response: { 200: PersonDetail } },
    handler: async (req, reply) => cached(ctx, req, reply, () => personDetail(ctx.db, requireOrg(req).id, req.params.personId, req.query, today())),
  });

  const change = (path: string, summary: string, act: (scope: Parameters<typeof linkAccount>[1], ref: { appId: string; accountId: string }) => Promise<unknown>) =>
    app.post(`${base}/:personId/${path}`, {
      config: { access: 'admin' },
      schema: { tags, summary, params: PersonParams, body: AccountRef, response: { 200: PersonDetail } },
      handler: async (req) => {
        const organizationId = requireOrg(req).id;
        await act({ organizationId, personId: req.params.personId, actor: await actor(ctx, req) }, req.body);
        await bumpAnalyticsVersion(ctx, [organizationId]);
        return personDetail(ctx.db, organizationId, req.params.personId, {}, today());
      },
    });
  change('link', 'Link an app account to this person (kept across syncs)', (s, ref) => linkAccount(ctx.db, s, ref));
  change('unlink', 'Take an app account away from this person (it becomes a person of its own)', (s, ref) => unlinkAccount(ctx.db, s, ref));
  change('confirm', 'Confirm a proposal to link an app account to this person', (s, ref) => confirmProposal(ctx.db, s, ref));
  change('reject', 'Reject a proposal to link an app account to this person', (s, ref) => rejectProposal(ctx.db, s, ref));

  app.patch(`${base}/:personId`, {
    config: { access: 'admin' },
    schema: { tags, summary: 'Rename a person or set their email (syncs then leave both alone)', params: PersonParams, body: UpdatePersonRequest, response: { 200: PersonDetail } },
    handler: async (req) => {
      const organizationId = requireOrg(req).id;
      await updatePerson(ctx.db, { organizationId, personId: req.params.personId, actor: await actor(ctx, req) }, req.body);
      await bumpAnalyticsVersion(ctx, [organizationId]);
      return personDetail(ctx.db, organizationId, req.params.personId, {}, today());
    },
  });
}
