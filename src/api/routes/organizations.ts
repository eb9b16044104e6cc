import { z } from 'zod';
import { CreatedInvitation, CreateInvitationRequest, InvitationList, MemberList, UpdateMemberRequest } from '../contracts/accounts.ts';
import { Id, Ok } from '../contracts/common.ts';
import { createInvitation, listInvitations, revokeInvitation } from '../../accounts/invitations.ts';
import { changeRole, listMembers, removeMember } from '../../accounts/organizations.ts';
import type { AppContext } from '../../context.ts';
import { requireOrg, requireUser, type TallyApp } from '../server.ts';

export function organizationRoutes(app: TallyApp, ctx: AppContext): void {
  const { db } = ctx;
  const OrgParams = z.object({ orgId: Id });
  const MemberParams = OrgParams.extend({ userId: Id });
  const InvitationParams = OrgParams.extend({ invitationId: Id });

  app.get('/api/orgs/:orgId/members', {
    config: { access: 'member' },
    schema: { tags: ['organizations'], summary: 'Members of the organization', params: OrgParams, response: { 200: MemberList } },
    handler: async (req) => ({ items: await listMembers(db, requireOrg(req).id) }),
  });

  app.patch('/api/orgs/:orgId/members/:userId', {
    config: { access: 'admin' },
    schema: { tags: ['organizations'], summary: 'Change a member’s role', params: MemberParams, body: UpdateMemberRequest, response: { 200: MemberList } },
    handler: async (req) => {
      const org = requireOrg(req);
      await changeRole(db, org.id, { userId: requireUser(req).id, role: org.role }, req.params.userId, req.body.role);
      return { items: await listMembers(db, org.id) };
    },
  });

  // Members may remove themselves (leave); the service checks the rest.
  app.delete('/api/orgs/:orgId/members/:userId', {
    config: { access: 'member' },
    schema: { tags: ['organizations'], summary: 'Remove a member, or leave the organization', params: MemberParams, response: { 200: Ok } },
    handler: async (req) => {
      const org = requireOrg(req);
      await removeMember(db, org.id, { userId: requireUser(req).id, role: org.role }, req.params.userId);
      return { ok: true as const };
    },
  });

  app.get('/api/orgs/:orgId/invitations', {
    config: { access: 'admin' },
    schema: { tags: ['invitations'], summary: 'Invitations of the organization', params: OrgParams, response: { 200: InvitationList } },
    handler: async (req) => ({ items: await listInvitations(db, requireOrg(req).id) }),
  });

  app.post('/api/orgs/:orgId/invitations', {
    config: { access: 'admin' },
    schema: {
      tags: ['invitations'],
      summary: 'Invite someone by email (single-use link, expires in 7 days)',
      params: OrgParams,
      body: CreateInvitationRequest,
      response: { 201: CreatedInvitation },
    },
    handler: async (req, reply) => reply.code(201).send(await createInvitation(ctx, requireOrg(req).id, requireUser(req).id, req.body)),
  });

  app.delete('/api/orgs/:orgId/invitations/:invitationId', {
    config: { access: 'admin' },
    schema: { tags: ['invitations'], summary: 'Revoke a pending invitation', params: InvitationParams, response: { 200: Ok } },
    handler: async (req) => {
      await revokeInvitation(db, requireOrg(req).id, requireUser(req).id, req.params.invitationId);
      return { ok: true as const };
    },
  });
}
