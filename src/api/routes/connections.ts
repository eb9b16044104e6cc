import { z } from 'zod';
import { Id, Ok } from '../contracts/common.ts';
import {
  AuthorizeRequest,
  AuthorizeResponse,
  ConnectInvitationList,
  ConnectInvitationPreview,
  CreateConnectInvitationRequest,
  CreatedConnectInvitation,
  DisconnectRequest,
  PersonalTokenRequest,
  ProviderCardList,
  ProviderSlug,
} from '../contracts/connections.ts';
import type { AppContext } from '../../context.ts';
import { createConnectInvitation, listConnectInvitations, pendingConnectInvitation, previewConnectInvitation, revokeConnectInvitation } from '../../connections/invitations.ts';
import { handleCallback, startAuthorization } from '../../connections/oauth-flow.ts';
import { connectWithPersonalToken, disconnect, listCards } from '../../connections/service.ts';
import { TallyError } from '../../errors.ts';
import { requireOrg, requireUser, type TallyApp } from '../server.ts';

export function connectionRoutes(app: TallyApp, ctx: AppContext): void {
  const OrgParams = z.object({ orgId: Id });
  const ProviderParams = OrgParams.extend({ provider: ProviderSlug });
  const ConnectionParams = OrgParams.extend({ connectionId: Id });
  const SaveResponse = z.object({ result: z.enum(['connected', 'reconnected', 'account_mismatch']), existingAccount: z.string().optional() });

  app.get('/api/orgs/:orgId/connections', {
    config: { access: 'member' },
    schema: { tags: ['connections'], summary: 'The Connections page: one card per provider', params: OrgParams, response: { 200: ProviderCardList } },
    handler: async (req) => ({ items: await listCards(ctx, requireOrg(req).id) }),
  });

  app.post('/api/orgs/:orgId/connections/:provider/authorize', {
    config: { access: 'admin' },
    schema: {
      tags: ['connections'],
      summary: 'Start Connect or Reconnect: returns the provider URL to send the browser to',
      params: ProviderParams,
      body: AuthorizeRequest,
      response: { 200: AuthorizeResponse },
    },
    handler: async (req) => {
      const user = requireUser(req);
      const orgId = requireOrg(req).id;
      const authorizeUrl = await startAuthorization(ctx, {
        organizationId: orgId,
        provider: req.params.provider,
        returnTo: req.body.returnTo ?? `/orgs/${orgId}/connections`,
        replaceAccount: req.body.replaceAccount ?? false,
        binding: { sessionTokenHash: user.sessionTokenHash, userId: user.id },
      });
      return { authorizeUrl };
    },
  });

  app.get('/api/oauth/:provider/callback', {
    config: { access: 'public' },
    schema: {
      tags: ['connections'],
      summary: 'Where the provider sends the browser back after consent (register this as the redirect URI)',
      params: z.object({ provider: ProviderSlug }),
    },
    handler: async (req, reply) => {
      const url = new URL(req.url, ctx.config.publicUrl);
      const { redirectTo } = await handleCallback(ctx, req.params.provider, url, req.user?.sessionTokenHash);
      return reply.redirect(redirectTo, 303);
    },
  });

  app.post('/api/orgs/:orgId/connections/:provider/personal-token', {
    config: { access: 'admin' },
    schema: { tags: ['connections'], summary: 'Connect with a personal access token instead of OAuth', params: ProviderParams, body: PersonalTokenRequest, response: { 200: SaveResponse } },
    handler: async (req) => {
      const saved = await connectWithPersonalToken(ctx, requireOrg(req).id, req.params.provider, requireUser(req).id, req.body);
      return saved.result === 'account_mismatch' ? { result: saved.result, ...(saved.existingAccount ? { existingAccount: saved.existingAccount } : {}) } : { result: saved.result };
    },
  });

  app.post('/api/orgs/:orgId/connections/:connectionId/disconnect', {
    config: { access: 'admin' },
    schema: {
      tags: ['connections'],
      summary: 'Disconnect: revoke at the provider where possible, delete the credentials, stop syncing',
      params: ConnectionParams,
      body: DisconnectRequest,
      response: { 200: z.object({ revoked: z.enum(['revoked', 'not_supported', 'failed']) }) },
    },
    handler: async (req) => disconnect(ctx, requireOrg(req).id, req.params.connectionId, requireUser(req).id, req.body.deleteData),
  });

  app.get('/api/orgs/:orgId/connect-invitations', {
    config: { access: 'admin' },
    schema: { tags: ['connections'], summary: 'Invitations sent to app admins to connect an app', params: OrgParams, response: { 200: ConnectInvitationList } },
    handler: async (req) => ({ items: await listConnectInvitations(ctx, requireOrg(req).id) }),
  });

  app.post('/api/orgs/:orgId/connect-invitations', {
    config: { access: 'member' },
    schema: {
      tags: ['connections'],
      summary: 'Invite the app’s admin to connect it (single-use link, 7 days)',
      params: OrgParams,
      body: CreateConnectInvitationRequest,
      response: { 201: CreatedConnectInvitation },
    },
    handler: async (req, reply) => reply.code(201).send(await createConnectInvitation(ctx, requireOrg(req).id, requireUser(req).id, req.body)),
  });

  app.delete('/api/orgs/:orgId/connect-invitations/:invitationId', {
    config: { access: 'admin' },
    schema: { tags: ['connections'], summary: 'Revoke a connect-invitation', params: OrgParams.extend({ invitationId: Id }), response: { 200: Ok } },
    handler: async (req) => {
      await revokeConnectInvitation(ctx, requireOrg(req).id, requireUser(req).id, req.params.invitationId);
      return { ok: true as const };
    },
  });

  const TokenParams = z.object({ token: z.string().min(20).max(100) });

  app.get('/api/connect-invitations/:token', {
    config: { access: 'public' },
    schema: { tags: ['connections'], summary: 'What a connect-invitation asks for (no account needed)', params: TokenParams, response: { 200: ConnectInvitationPreview } },
    handler: async (req) => previewConnectInvitation(ctx, req.params.token),
  });

  app.post('/api/connect-invitations/:token/authorize', {
    config: { access: 'public' },
    schema: { tags: ['connections'], summary: 'Start the OAuth flow from a connect-invitation', params: TokenParams, response: { 200: AuthorizeResponse } },
    handler: async (req) => {
      const invitation = await pendingConnectInvitation(ctx, req.params.token);
      if (!ProviderSlug.safeParse(invitation.provider).success) throw new TallyError('not_found', 'Unknown provider.');
      const authorizeUrl = await startAuthorization(ctx, {
        organizationId: invitation.organization_id,
        provider: ProviderSlug.parse(invitation.provider),
        returnTo: `/connect-invite/${req.params.token}`,
        replaceAccount: false,
        binding: { connectInvitationId: invitation.id },
      });
      return { authorizeUrl };
    },
  });
}
