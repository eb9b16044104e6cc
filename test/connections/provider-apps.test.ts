import { describe, expect, it } from 'vitest';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally();
const { owner, orgId } = await setUpOrganization(t);

describe('provider apps on the settings page', () => {
  it('without any app, shows the redirect URIs to register and that nothing is configured', async () => {
    const res = await owner.get('/api/admin/provider-apps');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ provider: 'digitalocean', source: null, clientId: null, simulated: false, redirectUri: `${t.baseUrl}/api/oauth/digitalocean/callback` }),
      expect.objectContaining({ provider: 'bitbucket', source: null, clientId: null, simulated: false, redirectUri: `${t.baseUrl}/api/oauth/bitbucket/callback` }),
    ]);
    const card = (await owner.get(`/api/orgs/${orgId}/connections`)).body.items[0];
    expect(card.oauthConfigured).toBe(false);
    const connect = await owner.post(`/api/orgs/${orgId}/connections/digitalocean/authorize`, {});
    expect(connect.status).toBe(409);
    expect(connect.body.error.message).toContain('/api/oauth/digitalocean/callback');
  });

  it('the setup account saves an app; the secret is stored encrypted and never sent back', async () => {
    const res = await owner.request('PUT', '/api/admin/provider-apps/bitbucket', { clientId: 'bb-key-123', clientSecret: 'bb-very-secret-value' });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('bb-very-secret-value');
    expect(res.body.items[1]).toMatchObject({ source: 'settings', clientId: 'bb-key-123' });
    const row = await t.tally.ctx.db.selectFrom('provider_apps').selectAll().executeTakeFirstOrThrow();
    expect(row.client_secret_enc).not.toContain('bb-very-secret-value');
    // Connect now goes to the real Bitbucket with that client id.
    const start = await owner.post(`/api/orgs/${orgId}/connections/bitbucket/authorize`, {});
    const url = new URL(start.body.authorizeUrl);
    expect(url.origin + url.pathname).toBe('https://bitbucket.org/site/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('bb-key-123');
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.baseUrl}/api/oauth/bitbucket/callback`);
    expect(url.searchParams.get('code_challenge')).toBeNull(); // Bitbucket: no PKCE
    expect((await owner.delete('/api/admin/provider-apps/bitbucket')).status).toBe(200);
  });

  it('an org admin who is not the instance admin cannot change provider apps', async () => {
    const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email: 'admin@example.com', role: 'admin' });
    const admin = t.client();
    await admin.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: 'Ada Admin', password: 'ada password 123' });
    expect((await admin.get('/api/me')).body.user.instanceAdmin).toBe(false);
    expect((await owner.get('/api/me')).body.user.instanceAdmin).toBe(true);
    const res = await admin.request('PUT', '/api/admin/provider-apps/digitalocean', { clientId: 'x', clientSecret: 'y' });
    expect(res.status).toBe(403);
    expect((await t.client().get('/api/admin/provider-apps')).status).toBe(401);
  });
});

describe('provider URLs from the environment', () => {
  it('refuse plain http for anything but this machine', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    expect(() => loadConfig({ TALLY_DIGITALOCEAN_API_URL: 'http://api.digitalocean.com' })).toThrow(/TALLY_DIGITALOCEAN_API_URL must use https/);
    expect(loadConfig({ TALLY_DIGITALOCEAN_API_URL: 'http://127.0.0.1:4010/digitalocean' }).providers.digitalocean.apiUrl).toBe('http://127.0.0.1:4010/digitalocean');
  });

  it('an app set in the environment cannot be overwritten from the settings page', async () => {
    const envTally = await startTestTally({ env: { TALLY_DIGITALOCEAN_CLIENT_ID: 'env-id', TALLY_DIGITALOCEAN_CLIENT_SECRET: 'env-secret-value' } });
    const o = await setUpOrganization(envTally);
    const list = await o.owner.get('/api/admin/provider-apps');
    expect(list.body.items[0]).toMatchObject({ source: 'environment', clientId: 'env-id' });
    const res = await o.owner.request('PUT', '/api/admin/provider-apps/digitalocean', { clientId: 'x', clientSecret: 'y' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/TALLY_DIGITALOCEAN_CLIENT_ID/);
    await envTally.close();
  });
});
