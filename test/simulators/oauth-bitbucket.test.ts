import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../src/simulators/index.ts';
import { authorizeOverHttp, authorizeUrl, pkcePair } from './support/dance.ts';
import { basic, bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

const CLIENT = { clientId: 'tally-bb', clientSecret: 'bb-secret', redirectUris: ['http://127.0.0.1:9/bb/callback'] };
const REDIRECT = CLIENT.redirectUris[0] as string;

let sims: RunningSimulators;
let users: Array<{ id: string; email: string; nickname: string; signIn: string; otpCode: string | null }>;

beforeAll(async () => {
  sims = await startTestSimulators();
  await control(sims, 'POST', '/bitbucket/clients', CLIENT);
  users = await control(sims, 'GET', '/bitbucket/users');
});
afterAll(() => sims.close());

const api = (path: string, headers: Record<string, string> = {}) => http<any>(`${sims.info.bitbucket.apiBaseUrl}${path}`, { headers });
const tokenEndpoint = (form: Record<string, string>, auth: Record<string, string> = basic(CLIENT.clientId, CLIENT.clientSecret)) =>
  http<Record<string, any>>(sims.info.bitbucket.tokenUrl, { method: 'POST', headers: auth, body: new URLSearchParams(form) });
const codeFor = async (extra: Record<string, string> = {}, options: Parameters<typeof authorizeOverHttp>[1] = {}) =>
  authorizeOverHttp(authorizeUrl(sims.info.bitbucket.authorizeUrl, { client_id: CLIENT.clientId, response_type: 'code', state: 'bb-state', ...extra }), options);
const exchange = async (extra: Record<string, string> = {}) => {
  const code = (await codeFor()).searchParams.get('code') as string;
  return tokenEndpoint({ grant_type: 'authorization_code', code, ...extra });
};
const refresh = (rt: string) => tokenEndpoint({ grant_type: 'refresh_token', refresh_token: rt });

describe('Bitbucket OAuth over plain HTTP', () => {
  it('logs in, consents and exchanges the code with HTTP Basic client authentication', async () => {
    const back = await codeFor({ scope: 'account repository' });
    // Without redirect_uri, Bitbucket sends the user to the consumer's registered callback.
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('bb-state');
    const res = await tokenEndpoint({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'account repository', state: 'authorization_code' });
    expect(res.body).not.toHaveProperty('scopes');
    expect(typeof res.body.refresh_token).toBe('string');
    const me = await api('/user', bearer(res.body.access_token));
    expect(me.status).toBe(200);
    expect(me.body.uuid).toBe(users[0]!.id);
  });

  it('authenticates the client only with HTTP Basic; a wrong secret is invalid_client', async () => {
    const code = (await codeFor()).searchParams.get('code') as string;
    const inBody = await tokenEndpoint({ grant_type: 'authorization_code', code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, {});
    expect(inBody.status).toBe(400);
    expect(inBody.body).toEqual({ error: 'unauthorized_client', error_description: expect.any(String) });
    const wrong = await tokenEndpoint({ grant_type: 'authorization_code', code }, basic(CLIENT.clientId, 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
  });

  it('verifies PKCE and refuses a replayed code', async () => {
    const pkce = pkcePair();
    const code = (await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })).searchParams.get('code') as string;
    const ok = await tokenEndpoint({ grant_type: 'authorization_code', code, code_verifier: pkce.verifier });
    expect(ok.status).toBe(200);
    const replay = await tokenEndpoint({ grant_type: 'authorization_code', code, code_verifier: pkce.verifier });
    expect(replay.body.error).toBe('invalid_grant');
    const other = (await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })).searchParams.get('code') as string;
    expect((await tokenEndpoint({ grant_type: 'authorization_code', code: other, code_verifier: pkcePair().verifier })).body.error).toBe('invalid_grant');
  });

  it('redirects a denial with access_denied and refuses an unregistered redirect URI', async () => {
    const denied = await codeFor({}, { decision: 'deny' });
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('bb-state');
    const page = await http(authorizeUrl(sims.info.bitbucket.authorizeUrl, { client_id: CLIENT.clientId, response_type: 'code', redirect_uri: 'http://evil.example/cb' }));
    expect(page.status).toBe(400);
  });

  it('rotates the refresh token on every use; an old one is invalid_grant', async () => {
    const first = (await exchange()).body;
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.state).toBe('refresh_token');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await refresh(first.refresh_token)).body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect((await api('/user', bearer(second.body.access_token))).status).toBe(200);
  });

  it('lists every credential it issued on the control API: codes, access and refresh tokens rotated away, API tokens', async () => {
    const back = await codeFor();
    const code = back.searchParams.get('code') as string;
    const first = (await tokenEndpoint({ grant_type: 'authorization_code', code })).body;
    const second = (await refresh(first.refresh_token)).body;
    const third = (await refresh(second.refresh_token)).body;
    const apiToken = await control<{ api_token: string; grant_id: string }>(sims, 'POST', '/bitbucket/tokens', { kind: 'api_token' });
    const issued = await control<Array<{ type: string; value: string; grantId: string | null; issuedAt: string }>>(sims, 'GET', '/bitbucket/issued-tokens');
    const typeOf = new Map(issued.map((c) => [c.value, c.type]));
    expect(typeOf.get(code)).toBe('authorization_code');
    for (const t of [first, second, third]) {
      expect(typeOf.get(t.access_token)).toBe('access_token');
      expect(typeOf.get(t.refresh_token)).toBe('refresh_token');
    }
    expect(typeOf.get(apiToken.api_token)).toBe('secret');
    const grantOf = (value: string) => issued.find((c) => c.value === value)!.grantId;
    expect(new Set([code, first.refresh_token, third.access_token].map(grantOf)).size).toBe(1);
    expect(grantOf(apiToken.api_token)).toBe(apiToken.grant_id);
    expect(issued.every((c) => !Number.isNaN(Date.parse(c.issuedAt)))).toBe(true);
    expect((await http(`${sims.baseUrl}/_sim/nowhere/issued-tokens`)).status).toBe(404);
  });

  it('expires access tokens after two hours and refresh tokens left unused for three months', async () => {
    const t = (await exchange()).body;
    const kept = (await exchange()).body;
    await control(sims, 'POST', '/time/advance', { hours: 2.1 });
    const expired = await api('/user', bearer(t.access_token));
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ type: 'error', error: { message: 'Access token expired.' } });
    const renewed = (await refresh(t.refresh_token)).body;
    await control(sims, 'POST', '/time/advance', { days: 80 });
    expect((await refresh(renewed.refresh_token)).status).toBe(200);
    await control(sims, 'POST', '/time/advance', { days: 11 });
    expect((await refresh(kept.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('accepts access tokens only in the Authorization header', async () => {
    const t = await mintToken(sims, 'bitbucket');
    const inQuery = await api(`/user?access_token=${encodeURIComponent(t.access_token)}`);
    expect(inQuery.status).toBe(401);
    expect(inQuery.body.type).toBe('error');
  });

  it('after a grant is revoked, its access token gets 401 and its refresh token invalid_grant', async () => {
    const t = (await exchange()).body;
    const grants = await control<Array<{ id: string; clientId: string; revokedAt: string | null }>>(sims, 'GET', '/bitbucket/grants');
    const mine = grants.filter((g) => g.clientId === CLIENT.clientId && g.revokedAt === null).at(-1)!;
    await control(sims, 'POST', `/bitbucket/grants/${mine.id}/revoke`, {});
    expect((await api('/user', bearer(t.access_token))).status).toBe(401);
    expect((await refresh(t.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('walks the one-time-code step and single sign-on', async () => {
    const otpUser = users.find((u) => u.signIn === 'otp')!;
    const viaOtp = await codeFor({}, { user: otpUser.id, otp: otpUser.otpCode as string });
    const t = await tokenEndpoint({ grant_type: 'authorization_code', code: viaOtp.searchParams.get('code') as string });
    expect((await api('/user', bearer(t.body.access_token))).body.uuid).toBe(otpUser.id);
    const ssoUser = users.find((u) => u.signIn === 'sso')!;
    const viaSso = await codeFor({}, { sso: true, user: ssoUser.id });
    const s = await tokenEndpoint({ grant_type: 'authorization_code', code: viaSso.searchParams.get('code') as string });
    expect((await api('/user', bearer(s.body.access_token))).body.uuid).toBe(ssoUser.id);
  });

  it('takes API tokens with the account email over Basic, refuses app passwords with the post-removal 401', async () => {
    const member = users[4]!;
    const apiToken = await control<{ email: string; api_token: string }>(sims, 'POST', '/bitbucket/tokens', { kind: 'api_token', user: member.id });
    expect(apiToken.api_token).toMatch(/^ATATT/);
    expect((await api('/user', basic(member.email, apiToken.api_token))).body.uuid).toBe(member.id);
    expect((await api('/user', basic(member.nickname, apiToken.api_token))).status).toBe(401);
    const appPassword = await control<{ username: string; app_password: string }>(sims, 'POST', '/bitbucket/tokens', { kind: 'app_password', user: member.id });
    const refused = await api('/user', basic(appPassword.username, appPassword.app_password));
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/App passwords are deprecated/);
  });

  it('serves a workspace access token as the workspace bot, within its scopes', async () => {
    const wat = await mintToken(sims, 'bitbucket', { kind: 'workspace_access_token', scopes: ['repository', 'account'] });
    expect((await api('/repositories/acme', bearer(wat.access_token))).status).toBe(200);
    expect((await api('/user', bearer(wat.access_token))).body.display_name).toMatch(/access token/);
    expect((await api('/repositories/acme/payments-service/pipelines', bearer(wat.access_token))).status).toBe(403);
  });

  it('enforces scopes with the documented 403 body', async () => {
    const t = await mintToken(sims, 'bitbucket', { scopes: ['account'] });
    const pipelines = await api('/repositories/acme/payments-service/pipelines', bearer(t.access_token));
    expect(pipelines.status).toBe(403);
    expect(pipelines.body).toEqual({ type: 'error', error: { message: 'Your credentials lack one or more required privilege scopes.', detail: expect.stringContaining('pipeline') } });
    const pr = await mintToken(sims, 'bitbucket', { scopes: ['pullrequest'] });
    // pullrequest implies repository.
    expect((await api('/repositories/acme', bearer(pr.access_token))).status).toBe(200);
  });
});
