import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SimClock } from '../core/clock.ts';
import { MINUTE_MS } from '../core/clock.ts';
import type { ProviderSlug } from '../types.ts';
import { consentPage, errorPage, identityProviderPage, loginPage, otpPage } from './pages.ts';
import type { LoginUser, PageBrand } from './pages.ts';
import { randomToken } from './store.ts';
import type { OAuthClient, OAuthStore } from './store.ts';

/** What differs between the providers' authorize endpoints; the dance itself is shared. */
export interface AuthorizeFlow {
  provider: ProviderSlug;
  brand: PageBrand;
  store: OAuthStore;
  clock: SimClock;
  /** Under the provider's prefix, e.g. `/v1/oauth/authorize`. */
  authorizePath: string;
  redirectUriRequired: boolean;
  resolveScopes(requested: string | undefined, client: OAuthClient): { ok: true; scopes: string[] } | { ok: false; message: string };
  describeScope(scope: string): string;
  loginUsers(): LoginUser[];
  findUser(idOrEmail: string): LoginUser | null;
}

interface AuthorizeTransaction {
  client: OAuthClient;
  /** As sent; empty when the request left it out (Bitbucket then uses the consumer's callback). */
  redirectUriSent: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  userId: string | null;
  stage: 'login' | 'second_factor' | 'consent';
  expiresAt: number;
}

const TRANSACTION_TTL_MS = 30 * MINUTE_MS;
const LOGIN_PAGE_USERS = 12;

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

type Form = Record<string, string | undefined>;

export function registerAuthorizeRoutes(app: FastifyInstance, flow: AuthorizeFlow): void {
  const transactions = new Map<string, AuthorizeTransaction>();
  const base = `/${flow.provider}${flow.authorizePath}`;
  const page = (label: string) => ({
    sim: { provider: flow.provider, kind: 'page' as const, documentPath: null, label, deprecated: false },
  });
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

  function open(tx: string | undefined, stage: AuthorizeTransaction['stage'][]): AuthorizeTransaction | null {
    const found = tx ? transactions.get(tx) : undefined;
    if (!found || found.expiresAt <= flow.clock.now() || !stage.includes(found.stage)) return null;
    return found;
  }
  const expired = (reply: FastifyReply) =>
    html(reply, 400, errorPage(flow.brand, 'Session expired', 'This sign-in attempt is no longer valid. Start again from the application.'));

  function afterLogin(reply: FastifyReply, tx: string, t: AuthorizeTransaction, user: LoginUser) {
    t.userId = user.id;
    if (user.signIn === 'otp') {
      t.stage = 'second_factor';
      return html(reply, 200, otpPage(flow.brand, `${base}/otp`, tx, user));
    }
    t.stage = 'consent';
    const scopes = t.scopes.map((scope) => ({ scope, description: flow.describeScope(scope) }));
    return html(reply, 200, consentPage(flow.brand, `${base}/consent`, tx, t.client.clientId, user, scopes));
  }

  app.get(flow.authorizePath, { config: page(`GET ${flow.authorizePath}`) }, async (request, reply) => {
    const q = request.query as Form;
    const client = q.client_id ? flow.store.client(q.client_id) : null;
    // Without a known client and an exact redirect URI match, the error is shown here, never
    // redirected (RFC 6749 §4.1.2.1): the URI cannot be trusted.
    if (!client) return html(reply, 400, errorPage(flow.brand, 'Invalid client', 'No application is registered with this client_id.'));
    if (!q.redirect_uri && flow.redirectUriRequired)
      return html(reply, 400, errorPage(flow.brand, 'Invalid redirect URI', 'redirect_uri is required.'));
    if (q.redirect_uri && !client.redirectUris.includes(q.redirect_uri))
      return html(reply, 400, errorPage(flow.brand, 'Invalid redirect URI', 'The redirect_uri does not match the callback URL registered for this application.'));
    const redirectUri = q.redirect_uri ?? client.redirectUris[0];
    if (!redirectUri) return html(reply, 400, errorPage(flow.brand, 'Invalid redirect URI', 'This application has no callback URL.'));
    const fail = (error: string, description: string) =>
      reply.redirect(redirectWith(redirectUri, { error, error_description: description, state: q.state }));
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be "code".');
    if (q.code_challenge && (q.code_challenge_method ?? 'plain') !== 'S256')
      return fail('invalid_request', 'code_challenge_method must be S256.');
    const scopes = flow.resolveScopes(q.scope, client);
    if (!scopes.ok) return fail('invalid_scope', scopes.message);
    const tx = randomToken(12, 'base64url');
    transactions.set(tx, {
      client,
      redirectUriSent: q.redirect_uri ?? '',
      redirectUri,
      state: q.state,
      scopes: scopes.scopes,
      codeChallenge: q.code_challenge ?? null,
      codeChallengeMethod: q.code_challenge ? 'S256' : null,
      userId: null,
      stage: 'login',
      expiresAt: flow.clock.now() + TRANSACTION_TTL_MS,
    });
    return html(reply, 200, loginPage(flow.brand, `${base}/login`, `${base}/sso?tx=${tx}`, tx, flow.loginUsers().slice(0, LOGIN_PAGE_USERS)));
  });

  app.post(`${flow.authorizePath}/login`, { config: page(`POST ${flow.authorizePath}/login`) }, async (request, reply) => {
    const form = request.body as Form;
    const t = open(form.tx, ['login']);
    if (!t || !form.tx) return expired(reply);
    const user = flow.findUser(form.user ?? form.email ?? '');
    const users = flow.loginUsers().slice(0, LOGIN_PAGE_USERS);
    if (!user) return html(reply, 200, loginPage(flow.brand, `${base}/login`, `${base}/sso?tx=${form.tx}`, form.tx, users, 'No account matches that email address.'));
    // An account under enforced single sign-on is sent to its identity provider.
    if (user.signIn === 'sso') return reply.redirect(`${base}/sso?tx=${encodeURIComponent(form.tx)}`);
    return afterLogin(reply, form.tx, t, user);
  });

  app.post(`${flow.authorizePath}/otp`, { config: page(`POST ${flow.authorizePath}/otp`) }, async (request, reply) => {
    const form = request.body as Form;
    const t = open(form.tx, ['second_factor']);
    const user = t?.userId ? flow.findUser(t.userId) : null;
    if (!t || !user || !form.tx) return expired(reply);
    if ((form.code ?? '').trim() !== user.otpCode)
      return html(reply, 200, otpPage(flow.brand, `${base}/otp`, form.tx, user, 'That code is not valid. Try again.'));
    t.stage = 'consent';
    const scopes = t.scopes.map((scope) => ({ scope, description: flow.describeScope(scope) }));
    return html(reply, 200, consentPage(flow.brand, `${base}/consent`, form.tx, t.client.clientId, user, scopes));
  });

  app.get(`${flow.authorizePath}/sso`, { config: page(`GET ${flow.authorizePath}/sso`) }, async (request, reply) => {
    const tx = (request.query as Form).tx;
    if (!open(tx, ['login']) || !tx) return expired(reply);
    const ssoUsers = flow.loginUsers().filter((u) => u.signIn === 'sso');
    return html(reply, 200, identityProviderPage(`${base}/sso`, tx, ssoUsers));
  });

  app.post(`${flow.authorizePath}/sso`, { config: page(`POST ${flow.authorizePath}/sso`) }, async (request, reply) => {
    const form = request.body as Form;
    const t = open(form.tx, ['login']);
    const user = form.user ? flow.findUser(form.user) : null;
    if (!t || !form.tx) return expired(reply);
    if (!user || user.signIn !== 'sso') return html(reply, 403, errorPage(flow.brand, 'Single sign-on failed', 'The identity provider did not recognise this account.'));
    return afterLogin(reply, form.tx, t, user);
  });

  app.post(`${flow.authorizePath}/consent`, { config: page(`POST ${flow.authorizePath}/consent`) }, async (request, reply) => {
    const form = request.body as Form;
    const t = open(form.tx, ['consent']);
    if (!t || !t.userId || !form.tx) return expired(reply);
    transactions.delete(form.tx);
    if (form.decision !== 'approve')
      return reply.redirect(redirectWith(t.redirectUri, { error: 'access_denied', error_description: 'The user denied access.', state: t.state }));
    const code = flow.store.issueCode({
      clientId: t.client.clientId,
      redirectUri: t.redirectUriSent,
      userId: t.userId,
      scopes: t.scopes,
      codeChallenge: t.codeChallenge,
      codeChallengeMethod: t.codeChallengeMethod,
    });
    return reply.redirect(redirectWith(t.redirectUri, { code, state: t.state }));
  });
}
