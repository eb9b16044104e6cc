import { z } from 'zod';
import { Id } from '../contracts/common.ts';
import { ImportMemberEmailsRequest, ImportMemberEmailsResult, MEMBER_EMAILS_MAX_CHARS, MemberEmailStatus } from '../contracts/member-emails.ts';
import type { AppContext } from '../../context.ts';
import { importMemberEmails, memberEmailStatus } from '../../connections/member-emails.ts';
import { requireOrg, requireUser, type TallyApp } from '../server.ts';

export function memberEmailRoutes(app: TallyApp, ctx: AppContext): void {
  const Params = z.object({ orgId: Id, connectionId: Id });
  const tags = ['connections'];

  app.get('/api/orgs/:orgId/connections/:connectionId/member-emails', {
    config: { access: 'member' },
    schema: { tags, summary: 'Bitbucket: how many workspace members have an email, and the last member-list import', params: Params, response: { 200: MemberEmailStatus } },
    handler: async (req) => memberEmailStatus(ctx.db, requireOrg(req).id, req.params.connectionId),
  });

  app.post('/api/orgs/:orgId/connections/:connectionId/member-emails', {
    config: { access: 'admin' },
    // The CSV travels inside JSON, where quotes and line breaks take more bytes: room for the largest file
    // the contract accepts, so an oversized one gets the contract's message rather than a bare 413.
    bodyLimit: MEMBER_EMAILS_MAX_CHARS * 3,
    schema: {
      tags,
      summary: 'Bitbucket: import the workspace member list (CSV) to fill in members’ emails, which the API does not give',
      params: Params,
      body: ImportMemberEmailsRequest,
      response: { 200: ImportMemberEmailsResult },
    },
    handler: async (req) => importMemberEmails(ctx, requireOrg(req).id, req.params.connectionId, requireUser(req), req.body),
  });
}
