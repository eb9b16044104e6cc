import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { iso } from '../core/clock.ts';
import { DEFAULT_CONSUMER_SCOPES, tokenResponse as bitbucketTokenResponse } from '../bitbucket/oauth.ts';
import { newPersonalAccessToken, tokenResponse as digitaloceanTokenResponse } from '../digitalocean/oauth.ts';
import { randomToken } from '../oauth/store.ts';
import type { Grant, OAuthStore } from '../oauth/store.ts';
import { isProviderSlug } from '../types.ts';
import type { ProviderSlug } from '../types.ts';
import { controlError } from './context.ts';
import type { ControlContext } from './context.ts';

/** OAuth clients, the people who can sign in, minted credentials and grants. */

const clientBody = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), redirectUris: z.array(z.url()).min(1) });

const tokenBody = z.object({
  /** A seeded user's id (UUID) or email; default: the first administrator. */
  user: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  kind: z.enum(['oauth', 'personal_access_token', 'api_token', 'workspace_access_token', 'app_password']).default('oauth'),
  /** The OAuth client (consumer) the token belongs to; default: the simulator's console client. */
  clientId: z.string().min(1).optional(),
});

/** Granular API-token scopes covering what Tally reads. */
const DEFAULT_API_TOKEN_SCOPES = ['read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket', 'read:pullrequest:bitbucket', 'read:pipeline:bitbucket', 'read:project:bitbucket', 'read:issue:bitbucket'];
const CONSOLE_CLIENT = 'simulator-console';

function store(ctx: ControlContext, provider: ProviderSlug): OAuthStore {
  return ctx[provider].oauth;
}

/** Tokens minted without a client id belong to this consumer, registered on first use. */
function consoleClient(s: OAuthStore): string {
  if (!s.client(CONSOLE_CLIENT)) s.registerClient({ clientId: CONSOLE_CLIENT, clientSecret: randomToken(24), redirectUris: ['http://127.0.0.1/unused'] });
  return CONSOLE_CLIENT;
}

function users(ctx: ControlContext, provider: ProviderSlug) {
  if (provider === 'digitalocean')
    return ctx.digitalocean.world.state.users.map((u) => ({ id: u.uuid, email: u.email, name: u.name, role: u.role, signIn: u.signIn, otpCode: u.otpCode }));
  return ctx.bitbucket.world.state.members.map((m) => ({
    id: m.uuid, email: m.email, name: m.displayName, nickname: m.nickname, role: m.permission, signIn: m.signIn, otpCode: m.otpCode,
    active: m.lastActiveDay === Number.POSITIVE_INFINITY,
  }));
}

function grantView(g: Grant) {
  return {
    id: g.id, kind: g.kind, clientId: g.clientId, user: g.userId, scopes: g.scopes, workspace: g.workspace,
    createdAt: iso(g.createdAt), revokedAt: g.revokedAt === null ? null : iso(g.revokedAt), refreshCount: g.refreshCount,
  };
}

export function registerCredentialRoutes(app: FastifyInstance, ctx: ControlContext): void {
  app.get('/:provider/clients', async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    return store(ctx, provider).clients().map(({ clientId, redirectUris }) => ({ clientId, redirectUris }));
  });

  app.post('/:provider/clients', async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    const body = clientBody.safeParse(request.body);
    if (!body.success) return controlError(reply, 400, 'invalid_request', body.error.message);
    store(ctx, provider).registerClient(body.data);
    return reply.code(201).send({ clientId: body.data.clientId, redirectUris: body.data.redirectUris });
  });

  app.get('/:provider/users', async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    return users(ctx, provider);
  });

  app.post('/:provider/tokens', async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    const body = tokenBody.safeParse(request.body ?? {});
    if (!body.success) return controlError(reply, 400, 'invalid_request', body.error.message);
    const { kind, scopes, clientId } = body.data;
    const s = store(ctx, provider);
    if (clientId && !s.client(clientId)) return controlError(reply, 400, 'invalid_request', `No client ${clientId} is registered`);
    const client = clientId ?? consoleClient(s);

    if (provider === 'digitalocean') {
      const user = body.data.user ? ctx.digitalocean.world.user(body.data.user) : ctx.digitalocean.world.state.users[0];
      if (!user) return controlError(reply, 400, 'invalid_request', `No seeded DigitalOcean user ${body.data.user}`);
      const granted = scopes ?? ['read'];
      if (kind === 'oauth') return digitaloceanTokenResponse(s.createOAuthGrant(client, user.uuid, granted), user);
      if (kind === 'personal_access_token') {
        const secret = newPersonalAccessToken();
        const grant = s.mintSecret(kind, user.uuid, granted, secret);
        return { access_token: secret, token_type: 'bearer', scope: granted.join(' '), grant_id: grant.id };
      }
      return controlError(reply, 400, 'invalid_request', `DigitalOcean has no ${kind}`);
    }

    const world = ctx.bitbucket.world;
    const member = body.data.user ? world.findMember(body.data.user) : world.state.members[0];
    if (!member) return controlError(reply, 400, 'invalid_request', `No seeded Bitbucket user ${body.data.user}`);
    switch (kind) {
      case 'oauth':
        return bitbucketTokenResponse(s.createOAuthGrant(client, member.uuid, scopes ?? DEFAULT_CONSUMER_SCOPES), 'authorization_code');
      case 'api_token': {
        const secret = `ATATT3x${randomToken(48, 'base64url')}`;
        const grant = s.mintSecret(kind, member.uuid, scopes ?? DEFAULT_API_TOKEN_SCOPES, secret);
        return { email: member.email, api_token: secret, scope: grant.scopes.join(' '), grant_id: grant.id };
      }
      case 'workspace_access_token': {
        const secret = `ATCTT3x${randomToken(48, 'base64url')}`;
        const grant = s.mintSecret(kind, world.workspace.uuid, scopes ?? DEFAULT_CONSUMER_SCOPES.filter((x) => x !== 'email'), secret, world.workspace.slug);
        return { access_token: secret, scope: grant.scopes.join(' '), workspace: world.workspace.slug, grant_id: grant.id };
      }
      case 'app_password': {
        const secret = `ATBB${randomToken(24, 'base64url')}`;
        const grant = s.mintSecret(kind, member.uuid, scopes ?? DEFAULT_CONSUMER_SCOPES, secret);
        return { username: member.nickname, app_password: secret, grant_id: grant.id };
      }
      default:
        return controlError(reply, 400, 'invalid_request', `Bitbucket has no ${kind}`);
    }
  });

  app.get('/:provider/grants', async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    return store(ctx, provider).grants().map(grantView);
  });

  // Test fakes may show what a real provider never would: every credential they issued, so a test can
  // look for each one in a database dump or a log.
  app.get('/:provider/issued-tokens', async (request, reply) => {
    const { provider } = request.params as { provider: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    return store(ctx, provider).issued().map((c) => ({ ...c, issuedAt: iso(c.issuedAt) }));
  });

  app.post('/:provider/grants/:id/revoke', async (request, reply) => {
    const { provider, id } = request.params as { provider: string; id: string };
    if (!isProviderSlug(provider)) return controlError(reply, 404, 'not_found', `Unknown provider ${provider}`);
    const s = store(ctx, provider);
    if (!s.grant(id)) return controlError(reply, 404, 'not_found', `No grant ${id}`);
    s.revokeGrant(id);
    return grantView(s.grant(id) as Grant);
  });
}
