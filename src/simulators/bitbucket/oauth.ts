import type { FastifyInstance } from 'fastify';
import { DAY_MS, HOUR_MS } from '../core/clock.ts';
import type { SimClock } from '../core/clock.ts';
import type { Counters } from '../core/counters.ts';
import { sendSimReply } from '../core/provider-hooks.ts';
import type { SimReply } from '../core/reply.ts';
import { registerAuthorizeRoutes } from '../oauth/authorize.ts';
import type { LoginUser } from '../oauth/pages.ts';
import { verifyS256 } from '../oauth/pkce.ts';
import { OAuthStore, randomToken } from '../oauth/store.ts';
import type { IssuedTokens } from '../oauth/store.ts';
import type { BbMember } from './model.ts';
import type { BitbucketWorld } from './world.ts';

/**
 * Bitbucket Cloud's OAuth 2.0 server ("Use OAuth on Bitbucket Cloud"): authorize at
 * /site/oauth2/authorize, tokens at /site/oauth2/access_token with the consumer authenticated by
 * HTTP Basic. Access tokens live two hours. As enforced since May 2026 (PROVIDERS.md): the refresh
 * token rotates on every use, one left unused for three months expires, and the response says
 * `scope`.
 */

export const ACCESS_TOKEN_TTL_MS = 2 * HOUR_MS;
const REFRESH_TOKEN_IDLE_MS = 90 * DAY_MS;

export const BITBUCKET_SCOPES: Record<string, string> = {
  account: 'Read your account information and workspace membership',
  'account:write': 'Change your account settings',
  email: 'Read your email addresses',
  repository: 'Read your repositories',
  'repository:write': 'Write to your repositories',
  'repository:admin': 'Administer your repositories',
  pullrequest: 'Read your pull requests',
  'pullrequest:write': 'Create and change pull requests',
  pipeline: 'Read your pipelines, builds and deployments',
  'pipeline:write': 'Run pipelines',
  'pipeline:variable': 'Manage pipeline variables',
  project: 'Read your projects',
  'project:admin': 'Administer your projects',
  issue: 'Read your issues',
  'issue:write': 'Create and change issues',
  webhook: 'Read and manage webhooks',
  wiki: 'Read and write wikis',
  snippet: 'Read your snippets',
  runner: 'Read your runners',
};

/** A consumer's permissions when it names no scopes: read access to what Tally looks at. */
export const DEFAULT_CONSUMER_SCOPES = ['account', 'email', 'repository', 'pullrequest', 'pipeline', 'project', 'issue'];

export function createBitbucketOAuthStore(clock: SimClock): OAuthStore {
  return new OAuthStore('bitbucket', clock, {
    accessTokenTtlMs: ACCESS_TOKEN_TTL_MS,
    refreshTokenIdleMs: REFRESH_TOKEN_IDLE_MS,
    newAccessToken: () => randomToken(96, 'base64url'),
    newRefreshToken: () => randomToken(18, 'base64url'),
  });
}

function oauthError(status: number, error: string, description: string): SimReply {
  return { status, body: { error_description: description, error } };
}

export function tokenResponse(tokens: IssuedTokens, grantType: 'authorization_code' | 'refresh_token'): Record<string, unknown> {
  return {
    access_token: tokens.accessToken,
    scope: tokens.grant.scopes.join(' '),
    token_type: 'bearer',
    expires_in: tokens.expiresInSeconds,
    // Bitbucket echoes the grant type here, under the name "state".
    state: grantType,
    refresh_token: tokens.refreshToken,
  };
}

export function loginUser(m: BbMember): LoginUser {
  return { id: m.uuid, email: m.email, name: m.displayName, role: m.permission === 'owner' ? 'workspace admin' : 'member', signIn: m.signIn, otpCode: m.otpCode };
}

export function registerBitbucketOAuth(app: FastifyInstance, world: BitbucketWorld, store: OAuthStore, counters: Counters): void {
  registerAuthorizeRoutes(app, {
    provider: 'bitbucket',
    brand: { name: 'Bitbucket', accent: '#0052cc' },
    store,
    clock: world.clock,
    authorizePath: '/site/oauth2/authorize',
    redirectUriRequired: false,
    resolveScopes(requested) {
      const scopes = requested ? requested.split(/[\s+]+/).filter(Boolean) : DEFAULT_CONSUMER_SCOPES;
      const bad = scopes.find((s) => !(s in BITBUCKET_SCOPES));
      return bad ? { ok: false, message: `Invalid scope: ${bad}` } : { ok: true, scopes };
    },
    describeScope: (scope) => BITBUCKET_SCOPES[scope] ?? scope,
    loginUsers: () => world.state.members.map(loginUser),
    findUser: (key) => {
      const m = world.findMember(key);
      return m ? loginUser(m) : null;
    },
  });

  const config = { sim: { provider: 'bitbucket' as const, kind: 'oauth' as const, documentPath: null, label: 'POST /site/oauth2/access_token', deprecated: false } };
  app.post('/site/oauth2/access_token', { config }, async (request, reply) => {
    const p = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, string | undefined>;
    counters.countGrant('bitbucket', p.grant_type ?? '');
    const [scheme = '', encoded = ''] = (request.headers.authorization ?? '').split(' ', 2);
    if (scheme.toLowerCase() !== 'basic')
      return sendSimReply(reply, oauthError(400, 'unauthorized_client', 'Requests must be authenticated using OAuth client credentials'));
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding (OAuth clients such
    // as oauth4webapi encode even '-' and '_'), so the server decodes them.
    const formDecode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
    const clientId = formDecode(decoded.slice(0, colon));
    const client = store.client(clientId);
    if (colon < 0 || !client || client.clientSecret !== formDecode(decoded.slice(colon + 1)))
      return sendSimReply(reply, oauthError(401, 'invalid_client', 'Invalid OAuth client credentials'));

    if (p.grant_type === 'refresh_token') {
      const refreshed = p.refresh_token ? store.refresh(p.refresh_token, client.clientId) : null;
      if (!refreshed?.ok) return sendSimReply(reply, oauthError(400, 'invalid_grant', 'Invalid refresh_token'));
      return reply.send(tokenResponse(refreshed.tokens, 'refresh_token'));
    }
    if (p.grant_type !== 'authorization_code')
      return sendSimReply(reply, oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${p.grant_type ?? '(none)'}`));
    const redeemed = p.code ? store.redeemCode(p.code) : null;
    if (!redeemed?.ok || redeemed.code.clientId !== client.clientId)
      return sendSimReply(reply, oauthError(400, 'invalid_grant', 'The specified code is not valid.'));
    const code = redeemed.code;
    if (code.redirectUri !== '' && p.redirect_uri !== code.redirectUri)
      return sendSimReply(reply, oauthError(400, 'invalid_grant', 'redirect_uri does not match the one used in the authorization request.'));
    if (code.codeChallenge !== null && !(p.code_verifier && verifyS256(p.code_verifier, code.codeChallenge)))
      return sendSimReply(reply, oauthError(400, 'invalid_grant', 'Invalid code_verifier.'));
    const tokens = store.createOAuthGrant(client.clientId, code.userId, code.scopes);
    store.attachGrantToCode(p.code as string, tokens.grant.id);
    return reply.send(tokenResponse(tokens, 'authorization_code'));
  });
}
