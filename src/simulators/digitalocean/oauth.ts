import type { FastifyInstance } from 'fastify';
import type { Counters } from '../core/counters.ts';
import { DAY_MS } from '../core/clock.ts';
import type { SimClock } from '../core/clock.ts';
import { sendSimReply } from '../core/provider-hooks.ts';
import type { SimReply } from '../core/reply.ts';
import { registerAuthorizeRoutes } from '../oauth/authorize.ts';
import type { LoginUser } from '../oauth/pages.ts';
import { verifyS256 } from '../oauth/pkce.ts';
import { OAuthStore, randomToken } from '../oauth/store.ts';
import type { IssuedTokens } from '../oauth/store.ts';
import type { DoUser } from './model.ts';
import type { DigitalOceanWorld } from './world.ts';

/**
 * DigitalOcean's OAuth server (https://docs.digitalocean.com/reference/api/oauth/): authorize,
 * token (authorization_code and refresh_token grants, client id and secret as parameters, in the
 * query or the form body) and revoke. Access tokens live 30 days; a refresh token works once.
 * Error bodies are RFC 6749 §5.2 shaped, worded as DigitalOcean's (Doorkeeper-based) server words them.
 */

export const ACCESS_TOKEN_TTL_MS = 30 * DAY_MS;

export function createDigitalOceanOAuthStore(clock: SimClock): OAuthStore {
  return new OAuthStore('digitalocean', clock, {
    accessTokenTtlMs: ACCESS_TOKEN_TTL_MS,
    refreshTokenIdleMs: null,
    newAccessToken: () => `doo_v1_${randomToken(32)}`,
    newRefreshToken: () => `dor_v1_${randomToken(32)}`,
  });
}

export const newPersonalAccessToken = () => `dop_v1_${randomToken(32)}`;

const ERRORS = {
  invalid_client: [401, 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'],
  invalid_grant: [400, 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.'],
  invalid_request: [400, 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.'],
  unsupported_grant_type: [400, 'The authorization grant type is not supported by the authorization server.'],
} as const;

function oauthError(error: keyof typeof ERRORS): SimReply {
  const [status, description] = ERRORS[error];
  return { status, body: { error, error_description: description } };
}

const SCOPE = /^(read|write|[a-z0-9_]+:(read|create|update|delete|admin|access))$/;

export function tokenResponse(tokens: IssuedTokens, user: DoUser): Record<string, unknown> {
  return {
    access_token: tokens.accessToken,
    token_type: 'bearer',
    expires_in: tokens.expiresInSeconds,
    refresh_token: tokens.refreshToken,
    scope: tokens.grant.scopes.join(' '),
    info: { name: user.name, email: user.email, uuid: user.uuid },
  };
}

export function loginUser(u: DoUser): LoginUser {
  return { id: u.uuid, email: u.email, name: u.name, role: u.role, signIn: u.signIn, otpCode: u.otpCode };
}

export function registerDigitalOceanOAuth(app: FastifyInstance, world: DigitalOceanWorld, store: OAuthStore, counters: Counters): void {
  registerAuthorizeRoutes(app, {
    provider: 'digitalocean',
    brand: { name: 'DigitalOcean', accent: '#0069ff' },
    store,
    clock: world.clock,
    authorizePath: '/v1/oauth/authorize',
    redirectUriRequired: true,
    resolveScopes(requested) {
      const scopes = (requested ?? 'read').split(/[\s+]+/).filter(Boolean);
      const bad = scopes.find((s) => !SCOPE.test(s));
      return bad ? { ok: false, message: `Unknown scope: ${bad}` } : { ok: true, scopes: scopes.length > 0 ? scopes : ['read'] };
    },
    describeScope: (scope) =>
      scope === 'read' ? 'View the resources, billing and account of your team' : scope === 'write' ? 'Create, change and delete resources of your team' : `Custom scope ${scope}`,
    loginUsers: () => world.state.users.map(loginUser),
    findUser: (key) => {
      const user = world.user(key);
      return user ? loginUser(user) : null;
    },
  });

  const oauth = (label: string) => ({ sim: { provider: 'digitalocean' as const, kind: 'oauth' as const, documentPath: null, label, deprecated: false } });
  const params = (query: unknown, body: unknown): Record<string, string | undefined> => ({
    ...(query as Record<string, string>),
    ...(body && typeof body === 'object' ? (body as Record<string, string>) : {}),
  });

  app.post('/v1/oauth/token', { config: oauth('POST /v1/oauth/token') }, async (request, reply) => {
    const p = params(request.query, request.body);
    counters.countGrant('digitalocean', p.grant_type ?? '');
    const client = p.client_id ? store.client(p.client_id) : null;
    if (p.grant_type !== 'authorization_code' && p.grant_type !== 'refresh_token') {
      return sendSimReply(reply, oauthError(p.grant_type ? 'unsupported_grant_type' : 'invalid_request'));
    }
    if (p.grant_type === 'refresh_token') {
      if (!client || p.client_secret !== client.clientSecret) return sendSimReply(reply, oauthError('invalid_client'));
      if (!p.refresh_token) return sendSimReply(reply, oauthError('invalid_request'));
      const refreshed = store.refresh(p.refresh_token, client.clientId);
      const user = refreshed.ok ? world.user(refreshed.tokens.grant.userId) : null;
      if (!refreshed.ok || !user) return sendSimReply(reply, oauthError('invalid_grant'));
      return reply.send(tokenResponse(refreshed.tokens, user));
    }
    if (!client) return sendSimReply(reply, oauthError('invalid_client'));
    if (!p.code) return sendSimReply(reply, oauthError('invalid_request'));
    // The client authenticates before its code is looked at. One that proved possession with PKCE
    // may be public (no secret); any secret sent must be right.
    const publicWithPkce = (store.peekCode(p.code)?.codeChallenge ?? null) !== null && p.client_secret === undefined;
    if (!publicWithPkce && p.client_secret !== client.clientSecret) return sendSimReply(reply, oauthError('invalid_client'));
    const redeemed = store.redeemCode(p.code);
    if (!redeemed.ok || redeemed.code.clientId !== client.clientId) return sendSimReply(reply, oauthError('invalid_grant'));
    const code = redeemed.code;
    if (code.redirectUri !== '' && p.redirect_uri !== code.redirectUri) return sendSimReply(reply, oauthError('invalid_grant'));
    if (code.codeChallenge !== null && !(p.code_verifier && verifyS256(p.code_verifier, code.codeChallenge)))
      return sendSimReply(reply, oauthError('invalid_grant'));
    const user = world.user(code.userId);
    if (!user) return sendSimReply(reply, oauthError('invalid_grant'));
    const tokens = store.createOAuthGrant(client.clientId, user.uuid, code.scopes);
    store.attachGrantToCode(p.code, tokens.grant.id);
    return reply.send(tokenResponse(tokens, user));
  });

  // RFC 7009: revoking answers 200 whether or not the token was known. Revoking either token of a
  // grant ends the whole grant, which is what disconnecting an application means.
  app.post('/v1/oauth/revoke', { config: oauth('POST /v1/oauth/revoke') }, async (request, reply) => {
    const p = params(request.query, request.body);
    if (!p.token) return sendSimReply(reply, oauthError('invalid_request'));
    store.revokeByToken(p.token);
    return reply.send({});
  });
}
