import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSimulatorsCommand } from '../../src/simulators/cli.ts';
import { deprecatedOperations } from '../../src/simulators/index.ts';
import type { CounterSnapshot, RunningSimulators, SimulatorInfo } from '../../src/simulators/index.ts';
import { bearer, control, http, mintToken, startTestSimulators } from './support/sim.ts';

let sims: RunningSimulators;
const CLIENTS = [
  { provider: 'digitalocean' as const, clientId: 'preset-do', clientSecret: 'a', redirectUris: ['http://127.0.0.1:9/do'] },
  { provider: 'bitbucket' as const, clientId: 'preset-bb', clientSecret: 'b', redirectUris: ['http://127.0.0.1:9/bb'] },
];

beforeAll(async () => {
  sims = await startTestSimulators({ clients: CLIENTS });
});
afterAll(() => sims.close());

describe('the control API', () => {
  it('names every URL in /_sim/info, as absolute URLs under the base URL', async () => {
    const info = await control<SimulatorInfo>(sims, 'GET', '/info');
    expect(info).toEqual(sims.info);
    expect(info.digitalocean).toEqual({
      authorizeUrl: `${sims.baseUrl}/digitalocean/v1/oauth/authorize`,
      tokenUrl: `${sims.baseUrl}/digitalocean/v1/oauth/token`,
      revokeUrl: `${sims.baseUrl}/digitalocean/v1/oauth/revoke`,
      apiBaseUrl: `${sims.baseUrl}/digitalocean`,
      preset: 'small',
      seed: 7,
    });
    expect(info.bitbucket).toMatchObject({ authorizeUrl: `${sims.baseUrl}/bitbucket/site/oauth2/authorize`, tokenUrl: `${sims.baseUrl}/bitbucket/site/oauth2/access_token`, revokeUrl: null, apiBaseUrl: `${sims.baseUrl}/bitbucket/2.0` });
  });

  it('registers clients given at start and through the API', async () => {
    expect((await control<Array<{ clientId: string }>>(sims, 'GET', '/bitbucket/clients')).map((c) => c.clientId)).toContain('preset-bb');
    await control(sims, 'POST', '/digitalocean/clients', { clientId: 'late', clientSecret: 'c', redirectUris: ['http://127.0.0.1:9/late'] });
    expect((await control<Array<{ clientId: string }>>(sims, 'GET', '/digitalocean/clients')).map((c) => c.clientId)).toEqual(expect.arrayContaining(['preset-do', 'late']));
    const bad = await http(`${sims.baseUrl}/_sim/digitalocean/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"clientId":"x"}' });
    expect(bad.status).toBe(400);
  });

  it('mints tokens for a chosen user, with the scopes asked, in the shape of the token endpoint', async () => {
    const users = await control<Array<{ id: string; email: string }>>(sims, 'GET', '/digitalocean/users');
    const t = await mintToken(sims, 'digitalocean', { user: users[3]!.email, scopes: ['read', 'write'], clientId: 'preset-do' });
    expect(t).toMatchObject({ token_type: 'bearer', expires_in: 2592000, scope: 'read write', info: { uuid: users[3]!.id } });
    const refreshed = await http<any>(sims.info.digitalocean.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token as string, client_id: 'preset-do', client_secret: 'a' }) });
    expect(refreshed.status).toBe(200);
    const unknown = await http(`${sims.baseUrl}/_sim/bitbucket/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"nobody@nowhere"}' });
    expect(unknown.status).toBe(400);
  });

  it('counts requests per provider, route template, token, status and grant type; and resets', async () => {
    await control(sims, 'POST', '/counters/reset');
    const t = await mintToken(sims, 'bitbucket');
    for (let i = 0; i < 3; i++) await http(`${sims.info.bitbucket.apiBaseUrl}/repositories/acme/payments-service/pullrequests`, { headers: bearer(t.access_token) });
    await http(`${sims.info.bitbucket.apiBaseUrl}/workspaces`, { headers: bearer(t.access_token) });
    await http(sims.info.bitbucket.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope' }) });
    const c = await control<CounterSnapshot>(sims, 'GET', '/counters');
    expect(c.byProvider).toEqual({ digitalocean: 0, bitbucket: 5 });
    expect(c.byRoute['bitbucket GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests']).toBe(3);
    expect(c.byToken[`bitbucket ${t.access_token}`]).toBe(4);
    expect(c.byStatus['bitbucket 200']).toBe(4);
    expect(c.byGrantType.bitbucket).toEqual({ authorization_code: 1 });
    expect(c.deprecatedCalls).toEqual({ 'bitbucket GET /2.0/workspaces': 1 });
    await control(sims, 'POST', '/counters/reset');
    expect((await control<CounterSnapshot>(sims, 'GET', '/counters')).total).toBe(0);
  });

  it('lists the deprecated operations of each document, for checks that Tally never calls one', () => {
    const bb = deprecatedOperations('bitbucket').map((op) => `${op.method} ${op.apiPath}`);
    expect(bb).toEqual(expect.arrayContaining(['GET /2.0/workspaces', 'GET /2.0/repositories']));
    expect(bb).not.toContain('GET /2.0/user/workspaces');
    expect(deprecatedOperations('digitalocean').every((op) => op.apiPath.startsWith('/v2/'))).toBe(true);
  });
});

describe('tally simulators', () => {
  it('runs standalone on the given port and prints the URLs', async () => {
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const standalone = await runSimulatorsCommand({ port: 0, preset: 'small', seed: 3 }).finally(() => write.mockRestore());
    try {
      const text = printed.join('');
      expect(text).toContain(standalone.info.digitalocean.authorizeUrl);
      expect(text).toContain(standalone.info.bitbucket.apiBaseUrl);
      expect(standalone.info.bitbucket.seed).toBe(3);
      expect((await http(`${standalone.baseUrl}/_sim/info`)).status).toBe(200);
    } finally {
      await standalone.close();
    }
  });
});
