import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../src/simulators/index.ts';
import { authorizeOverHttp, authorizeUrl, pkcePair } from './support/dance.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

const CLIENT = { clientId: 'tally-test', clientSecret: 's3cret-value', redirectUris: ['http://127.0.0.1:9/callback'] };
const REDIRECT = CLIENT.redirectUris[0] as string;

let sims: RunningSimulators;
let users: Array<{ id: string; email: string; role: string; signIn: string; otpCode: string | null }>;

beforeAll(async () => {
  sims = await startTestSimulators();
  await control(sims, 'POST', '/digitalocean/clients', CLIENT);
  users = await control(sims, 'GET', '/digitalocean/users');
});
afterAll(() => sims.close());

const api = (path: string, token: string) => http(`${sims.info.digitalocean.apiBaseUrl}${path}`, { headers: bearer(token) });
const token = (params: Record<string, string>, where: 'body' | 'query' = 'body') =>
  where === 'body'
    ? http<Record<string, any>>(sims.info.digitalocean.tokenUrl, { method: 'POST', body: new URLSearchParams(params) })
    : http<Record<string, any>>(`${sims.info.digitalocean.tokenUrl}?${new URLSearchParams(params)}`, { method: 'POST' });

async function codeFor(extra: Record<string, string> = {}, options: Parameters<typeof authorizeOverHttp>[1] = {}): Promise<URL> {
  const url = authorizeUrl(sims.info.digitalocean.authorizeUrl, { client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'read', state: 'st-1', ...extra });
  return authorizeOverHttp(url, options);
}

const exchange = (code: string, extra: Record<string, string> = {}) =>
  token({ grant_type: 'authorization_code', code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, redirect_uri: REDIRECT, ...extra });

describe('DigitalOcean OAuth over plain HTTP', () => {
  it('logs in, consents and exchanges the code for the documented token response', async () => {
    const back = await codeFor();
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const res = await exchange(back.searchParams.get('code') as string);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 2592000, scope: 'read' });
    expect(res.body.access_token).toMatch(/^doo_v1_[0-9a-f]{64}$/);
    expect(res.body.refresh_token).toMatch(/^dor_v1_[0-9a-f]{64}$/);
    const admin = users[0]!;
    expect(res.body.info).toEqual({ name: expect.any(String), email: admin.email, uuid: admin.id });
    const account = await api('/v2/account', res.body.access_token);
    expect(account.status).toBe(200);
    expect((account.body as any).account.uuid).toBe(admin.id);
  });

  it('accepts the client credentials in the query string, as the real token endpoint does', async () => {
    const back = await codeFor();
    const res = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, redirect_uri: REDIRECT }, 'query');
    expect(res.status).toBe(200);
  });

  it('verifies PKCE: a wrong verifier fails, the right one works (even without a secret)', async () => {
    const pkce = pkcePair();
    const first = await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const wrong = await exchange(first.searchParams.get('code') as string, { code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const second = await codeFor({ code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const right = await token({ grant_type: 'authorization_code', code: second.searchParams.get('code') as string, client_id: CLIENT.clientId, redirect_uri: REDIRECT, code_verifier: pkce.verifier });
    expect(right.status).toBe(200);
  });

  it('redirects a denial back with error=access_denied and the state', async () => {
    const back = await codeFor({ state: 'deny-me' }, { decision: 'deny' });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('deny-me');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('refuses a redirect URI that does not match exactly, on the page and at the token endpoint', async () => {
    const page = await http(authorizeUrl(sims.info.digitalocean.authorizeUrl, { client_id: CLIENT.clientId, redirect_uri: `${REDIRECT}/extra`, response_type: 'code' }));
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    const back = await codeFor();
    const res = await exchange(back.searchParams.get('code') as string, { redirect_uri: 'http://127.0.0.1:9/other' });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a replayed code and revokes what the first exchange issued', async () => {
    const code = (await codeFor()).searchParams.get('code') as string;
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('invalid, expired, revoked') });
    expect((await api('/v2/account', first.body.access_token)).status).toBe(401);
  });

  it('answers a wrong secret with invalid_client and a bad grant type with unsupported_grant_type', async () => {
    const code = (await codeFor()).searchParams.get('code') as string;
    const wrong = await exchange(code, { client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect((await exchange(code)).status).toBe(200);
    const bad = await token({ grant_type: 'password', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(bad.body.error).toBe('unsupported_grant_type');
  });

  it('rotates refresh tokens: each works once, the old one then gets invalid_grant', async () => {
    const first = (await exchange((await codeFor()).searchParams.get('code') as string)).body;
    const refresh = (rt: string) => token({ grant_type: 'refresh_token', refresh_token: rt, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect((await refresh(first.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
    const counters = await control<any>(sims, 'GET', '/counters');
    expect(counters.refreshTokenGrants.digitalocean).toBeGreaterThanOrEqual(3);
    expect(counters.byGrantType.digitalocean.refresh_token).toBe(counters.refreshTokenGrants.digitalocean);
  });

  it('revokes through /v1/oauth/revoke: the access token gets 401 and the refresh token invalid_grant', async () => {
    const t = (await exchange((await codeFor()).searchParams.get('code') as string)).body;
    const revoked = await http(sims.info.digitalocean.revokeUrl, { method: 'POST', headers: bearer(t.access_token), body: new URLSearchParams({ token: t.access_token }) });
    expect(revoked.status).toBe(200);
    expect((await api('/v2/account', t.access_token)).status).toBe(401);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('revokes a grant from the control API', async () => {
    const t = (await exchange((await codeFor()).searchParams.get('code') as string)).body;
    const grants = await control<Array<{ id: string; revokedAt: string | null }>>(sims, 'GET', '/digitalocean/grants');
    const live = grants.filter((g) => g.revokedAt === null);
    const mine = live.at(-1)!;
    await control(sims, 'POST', `/digitalocean/grants/${mine.id}/revoke`, {});
    expect((await api('/v2/account', t.access_token)).status).toBe(401);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('asks the user with a second step for the one-time code, and signs the SSO user in at the identity provider', async () => {
    const otpUser = users.find((u) => u.signIn === 'otp')!;
    const viaOtp = await codeFor({}, { user: otpUser.id, otp: otpUser.otpCode as string });
    expect((await exchange(viaOtp.searchParams.get('code') as string)).body.info.email).toBe(otpUser.email);
    const ssoUser = users.find((u) => u.signIn === 'sso')!;
    const viaSso = await codeFor({}, { sso: true, user: ssoUser.id });
    expect((await exchange(viaSso.searchParams.get('code') as string)).body.info.email).toBe(ssoUser.email);
  });

  it('expires codes after ten minutes and access tokens after thirty days of simulated time', async () => {
    const code = (await codeFor()).searchParams.get('code') as string;
    const fresh = (await exchange((await codeFor()).searchParams.get('code') as string)).body;
    await control(sims, 'POST', '/time/advance', { hours: 11 / 60 });
    expect((await exchange(code)).body.error).toBe('invalid_grant');
    await control(sims, 'POST', '/time/advance', { days: 30 });
    expect((await api('/v2/account', fresh.access_token)).status).toBe(401);
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: fresh.refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect((await api('/v2/account', renewed.body.access_token)).status).toBe(200);
  });

  it('enforces scopes: a personal access token reaches only what its custom scopes allow, billing only for owners and billers', async () => {
    const pat = await mintToken(sims, 'digitalocean', { kind: 'personal_access_token', scopes: ['account:read'] });
    expect(pat.access_token).toMatch(/^dop_v1_[0-9a-f]{64}$/);
    expect((await api('/v2/account', pat.access_token)).status).toBe(200);
    const droplets = await api('/v2/droplets', pat.access_token);
    expect(droplets.status).toBe(403);
    expect(droplets.body).toEqual({ id: 'forbidden', message: expect.any(String) });
    const member = users.find((u) => u.role === 'member')!;
    const memberToken = await mintToken(sims, 'digitalocean', { user: member.email, scopes: ['read'] });
    expect((await api('/v2/customers/my/balance', memberToken.access_token)).status).toBe(403);
    const biller = users.find((u) => u.role === 'biller')!;
    const billerToken = await mintToken(sims, 'digitalocean', { user: biller.id, kind: 'personal_access_token', scopes: ['billing:read'] });
    expect((await api('/v2/customers/my/balance', billerToken.access_token)).status).toBe(200);
    expect((await api('/v2/droplets', billerToken.access_token)).status).toBe(403);
  });
});
