import { describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/api.ts';
import { callbackAtTally, connect, consentAtSimulator } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';
import { simControl } from '../support/sim-control.ts';

/**
 * The edges of Connect that the main Connect and lifecycle files leave out: a code issued for another
 * redirect URI, a check call that fails, a connect-invitation that expired, and Bitbucket's two kinds of
 * personal token (API token with its email over Basic, workspace access token as Bearer).
 */
const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
const ctx = t.tally.ctx;
const control = simControl(ctx);
const connectionOf = (provider: string) => ctx.db.selectFrom('connections').selectAll().where('organization_id', '=', orgId).where('provider', '=', provider).executeTakeFirst();
const tallyCallback = `${t.baseUrl}/api/oauth/digitalocean/callback`;

describe('the redirect URI', () => {
  const client = ctx.simulated.digitalocean!;
  const register = (redirectUris: string[]) => control('/digitalocean/clients', { clientId: client.clientId, clientSecret: client.clientSecret, redirectUris });

  it('a code issued for another redirect URI than Tally’s is refused at the exchange, and nothing is stored', async () => {
    const elsewhere = `${t.baseUrl}/elsewhere/callback`;
    await register([tallyCallback, elsewhere]);
    try {
      const start = await owner.post(`/api/orgs/${orgId}/connections/digitalocean/authorize`, {});
      const authorizeUrl = new URL(start.body.authorizeUrl);
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(tallyCallback);
      authorizeUrl.searchParams.set('redirect_uri', elsewhere);
      const redirect = new URL(await consentAtSimulator(authorizeUrl.toString()));
      expect(redirect.pathname).toBe('/elsewhere/callback');
      const back = await callbackAtTally(owner, `${tallyCallback}${redirect.search}`);
      expect(back.searchParams.get('result')).toBe('error');
      expect(back.searchParams.get('message')).toMatch(/did not accept the sign-in \(invalid_grant/);
      expect(await connectionOf('digitalocean')).toBeUndefined();
    } finally {
      await register([tallyCallback]);
    }
  });

  it('when the provider app does not list Tally’s redirect URI, the provider stops at its own page and never comes back', async () => {
    await register([`${t.baseUrl}/elsewhere/callback`]);
    try {
      const start = await owner.post(`/api/orgs/${orgId}/connections/digitalocean/authorize`, {});
      const page = await fetch(start.body.authorizeUrl, { redirect: 'manual' });
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(await connectionOf('digitalocean')).toBeUndefined();
    } finally {
      await register([tallyCallback]);
    }
  });
});

describe('a check call that fails', () => {
  it('comes back to the card with the reason, and leaves no half-made connection', async () => {
    const rule = (await control('/faults', { provider: 'digitalocean', route: '/v2/account', kind: '503', probability: 1 })) as { id: string };
    try {
      const back = await connect(owner, orgId, 'digitalocean');
      expect(back.pathname).toBe(`/orgs/${orgId}/connections`);
      expect(back.searchParams.get('result')).toBe('error');
      expect(back.searchParams.get('message')).toMatch(/Signed in, but the check call to DigitalOcean failed: DigitalOcean answered 503 for \/v2\/account.*Nothing was saved\./);
      expect(await connectionOf('digitalocean')).toBeUndefined();
    } finally {
      await control(`/faults/${rule.id}`, undefined, 'DELETE');
    }
    expect((await connect(owner, orgId, 'digitalocean')).searchParams.get('result')).toBe('connected');
  });
});

describe('an expired connect-invitation', () => {
  it('is refused when opened, listed as expired, and refused at the callback if it expired during the sign-in', async () => {
    const created = await owner.post(`/api/orgs/${orgId}/connect-invitations`, { provider: 'bitbucket', email: 'bb-admin@example.com' });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.invitation.expiresAt) - Date.now()).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    const token = created.body.link.split('/connect-invite/')[1];
    const invitee = t.client();
    // Expires while the invitee is at Bitbucket's consent screen.
    const start = await invitee.post(`/api/connect-invitations/${token}/authorize`, {});
    expect(start.status).toBe(200);
    const redirect = await consentAtSimulator(start.body.authorizeUrl);
    await ctx.db.updateTable('connect_invitations').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', created.body.invitation.id).execute();
    const back = await callbackAtTally(invitee, redirect);
    expect(back.searchParams.get('result')).toBe('error');
    expect(back.searchParams.get('message')).toMatch(/used, revoked or has expired/);
    expect(await connectionOf('bitbucket')).toBeUndefined();

    const opened = await t.client().get(`/api/connect-invitations/${token}`);
    expect(opened.status).toBe(410);
    expect(opened.body.error.message).toMatch(/expired/);
    expect((await t.client().post(`/api/connect-invitations/${token}/authorize`, {})).status).toBe(410);
    const listed = (await owner.get(`/api/orgs/${orgId}/connect-invitations`)).body.items.find((i: { id: string }) => i.id === created.body.invitation.id);
    expect(listed.status).toBe('expired');
  });
});

describe('Bitbucket personal tokens', () => {
  const mint = async (body: Record<string, unknown>) => {
    const minted = (await control('/bitbucket/tokens', body)) as Record<string, string>;
    for (const key of ['api_token', 'access_token']) if (minted[key]) rememberSecret(minted[key]);
    return minted;
  };

  it('an API token without its account email is refused with what to add', async () => {
    const minted = await mint({ kind: 'api_token', scopes: ['read:user:bitbucket', 'read:workspace:bitbucket'] });
    const res = await owner.post(`/api/orgs/${orgId}/connections/bitbucket/personal-token`, { token: minted.api_token });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/email of its Atlassian account/);
    expect(await connectionOf('bitbucket')).toBeUndefined();
  });

  it('an API token with its account email connects over HTTP Basic, checked with the same call', async () => {
    const minted = await mint({ kind: 'api_token', scopes: ['read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket'] });
    const res = await owner.post(`/api/orgs/${orgId}/connections/bitbucket/personal-token`, { token: minted.api_token, email: minted.email });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = await connectionOf('bitbucket');
    expect(row).toMatchObject({ method: 'personal_token', status: 'active' });
    expect((row!.account as { workspaces: unknown[] }).workspaces.length).toBeGreaterThan(0);
    expect(row!.scopes).toContain('repository');
  });

  it('a workspace access token connects without an email, as Bearer, with the scopes it grants', async () => {
    const minted = await mint({ kind: 'workspace_access_token', scopes: ['account', 'repository'] });
    const res = await owner.post(`/api/orgs/${orgId}/connections/bitbucket/personal-token`, { token: minted.access_token, replaceAccount: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = await connectionOf('bitbucket');
    expect(row).toMatchObject({ method: 'personal_token', status: 'active' });
    expect((row!.account as { name: string }).name).toMatch(/access token/);
    expect(row!.scopes).toEqual(expect.arrayContaining(['account', 'repository']));
  });
});
