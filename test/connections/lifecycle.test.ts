import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { refreshConnection } from '../../src/connections/refresh.ts';
import { accessContext } from '../../src/oauth/contexts.ts';
import type { AppContext } from '../../src/context.ts';
import { createLogger } from '../../src/log.ts';
import { connectDatabase } from '../../src/store/database.ts';
import { rememberSecret } from '../support/api.ts';
import { callbackAtTally, connect, consentAtSimulator } from '../support/consent.ts';
import { freePort } from '../support/ports.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

// A webhook receiver on loopback: Tally tells it when a connection breaks or recovers.
const webhookEvents: Array<{ event: string; provider: string }> = [];
const hookPort = await freePort();
const hook = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    webhookEvents.push(JSON.parse(body));
    res.end('ok');
  });
});
await new Promise<void>((r) => hook.listen(hookPort, '127.0.0.1', r));

const t = await startTestTally({ simulators: true, env: { TALLY_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook` } });
const { owner, orgId } = await setUpOrganization(t);
const ctx = t.tally.ctx;
const sim = Object.values(ctx.simulated)[0]!.endpoints.apiBaseUrl.replace(/\/(digitalocean|bitbucket).*$/, '');
const simJson = async (path: string, init?: RequestInit) => (await fetch(`${sim}/_sim${path}`, { headers: { 'content-type': 'application/json' }, ...init })).json();
const card = async (provider: string) => ((await owner.get(`/api/orgs/${orgId}/connections`)).body.items as any[]).find((c) => c.provider === provider);
const makeDue = (id: string) => ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();

await connect(owner, orgId, 'bitbucket');
const bitbucketId: string = (await card('bitbucket')).connection.id;

describe('refresh', () => {
  it('20 concurrent refreshes from two processes make exactly one refresh request, and the connection stays healthy', async () => {
    // A second "process": its own connection pool, the same database.
    const other = connectDatabase(t.databaseUrl, createLogger('silent'), { max: 10 });
    const ctxB: AppContext = { ...ctx, db: other.db };
    await makeDue(bitbucketId);
    await simJson('/counters/reset', { method: 'POST', body: '{}' });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => refreshConnection(i % 2 ? ctx : ctxB, bitbucketId, { reason: 'due' })));
    await other.close();
    const counters = await simJson('/counters');
    expect(counters.refreshTokenGrants.bitbucket).toBe(1);
    expect(outcomes.filter((o) => o === 'refreshed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'still_fresh')).toHaveLength(19);
    const c = (await card('bitbucket')).connection;
    expect(c.status).toBe('active');
    expect(new Date(c.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 3600 * 1000);
    // and the rotated refresh token works: one more refresh succeeds
    await makeDue(bitbucketId);
    expect(await refreshConnection(ctx, bitbucketId, { reason: 'due' })).toBe('refreshed');
  });

  it('a token refused by the API is refreshed once; a second caller with the same stale token does nothing', async () => {
    const row = await ctx.db.selectFrom('connections').select('access_token_enc').where('id', '=', bitbucketId).executeTakeFirstOrThrow();
    const stale = ctx.vault.decrypt(row.access_token_enc!, accessContext(bitbucketId));
    await simJson('/counters/reset', { method: 'POST', body: '{}' });
    expect(await refreshConnection(ctx, bitbucketId, { reason: 'rejected', rejectedAccessToken: stale })).toBe('refreshed');
    expect(await refreshConnection(ctx, bitbucketId, { reason: 'rejected', rejectedAccessToken: stale })).toBe('still_fresh');
    expect((await simJson('/counters')).refreshTokenGrants.bitbucket).toBe(1);
  });
});

describe('revocation', () => {
  it('a grant revoked at the provider turns the connection to Reconnect needed after one refresh, with no retry storm, and admins are told', async () => {
    const grants = (await simJson('/bitbucket/grants')) as Array<{ id: string; kind: string; revokedAt: string | null }>;
    for (const g of grants.filter((g) => g.kind === 'oauth' && !g.revokedAt)) await simJson(`/bitbucket/grants/${g.id}/revoke`, { method: 'POST', body: '{}' });
    await makeDue(bitbucketId);
    await simJson('/counters/reset', { method: 'POST', body: '{}' });
    expect(await refreshConnection(ctx, bitbucketId, { reason: 'due' })).toBe('needs_reconnect');
    for (let i = 0; i < 5; i++) expect(await refreshConnection(ctx, bitbucketId, { reason: 'due' })).toBe('not_active');
    expect((await simJson('/counters')).refreshTokenGrants.bitbucket).toBe(1);
    const c = (await card('bitbucket')).connection;
    expect(c.status).toBe('needs_reconnect');
    expect(c.statusReason).toMatch(/Reconnect to resume syncing/);
    expect(webhookEvents).toContainEqual(expect.objectContaining({ event: 'connection.needs_reconnect', provider: 'bitbucket' }));
  });

  it('Reconnect brings it back, keeps the id, and says it recovered', async () => {
    const back = await connect(owner, orgId, 'bitbucket');
    expect(back.searchParams.get('result')).toBe('reconnected');
    const c = (await card('bitbucket')).connection;
    expect(c).toMatchObject({ id: bitbucketId, status: 'active', statusReason: null });
    expect(webhookEvents).toContainEqual(expect.objectContaining({ event: 'connection.recovered', provider: 'bitbucket' }));
  });
});

describe('personal tokens', () => {
  it('a Bitbucket app password is refused with what to create instead', async () => {
    const res = await owner.post(`/api/orgs/${orgId}/connections/bitbucket/personal-token`, { token: 'ATBB3xampleAppPassword123', email: 'dev@example.com' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/app passwords were removed on 28 July 2026.*API token/);
  });

  it('a DigitalOcean personal access token connects, checked with the same call, with the scopes it really grants', async () => {
    const minted = await simJson('/digitalocean/tokens', { method: 'POST', body: JSON.stringify({ kind: 'personal_access_token', scopes: ['account:read', 'droplet:read'] }) });
    rememberSecret(minted.access_token);
    const res = await owner.post(`/api/orgs/${orgId}/connections/digitalocean/personal-token`, { token: minted.access_token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toBe('connected');
    const c = (await card('digitalocean')).connection;
    expect(c).toMatchObject({ method: 'personal_token', status: 'active' });
    expect(c.scopes).toEqual(expect.arrayContaining(['account:read', 'droplet:read']));
    expect(c.scopes).not.toContain('billing:read');
  });

  it('a token the provider does not accept gets a clear message and stores nothing new', async () => {
    const res = await owner.post(`/api/orgs/${orgId}/connections/digitalocean/personal-token`, { token: 'dop_v1_not-a-real-token-at-all' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/did not accept this personal access token/);
    expect((await card('digitalocean')).connection.method).toBe('personal_token');
  });
});

describe('invite the app’s admin', () => {
  it('a member cannot connect but can invite; the invitee connects through the one-time link without a Tally account', async () => {
    const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email: 'member@example.com', role: 'member' });
    const member = t.client();
    await member.post(`/api/invitations/${inv.body.link.split('/invite/')[1]}/accept`, { name: 'Max Member', password: 'max password 123' });
    expect((await member.post(`/api/orgs/${orgId}/connections/digitalocean/authorize`, {})).status).toBe(403);
    // start from scratch for DigitalOcean: disconnect the personal token first
    await owner.post(`/api/orgs/${orgId}/connections/${(await card('digitalocean')).connection.id}/disconnect`, { deleteData: false });
    const created = await member.post(`/api/orgs/${orgId}/connect-invitations`, { provider: 'digitalocean', email: 'do-admin@example.com', note: 'Please connect our team' });
    expect(created.status).toBe(201);
    const token = created.body.link.split('/connect-invite/')[1];
    const invitee = t.client();
    const preview = await invitee.get(`/api/connect-invitations/${token}`);
    expect(preview.body).toMatchObject({ organization: { name: 'Acme Inc' }, provider: 'digitalocean', providerName: 'DigitalOcean', invitedBy: 'Max Member', note: 'Please connect our team', simulated: true });
    const start = await invitee.post(`/api/connect-invitations/${token}/authorize`, {});
    expect(start.status).toBe(200);
    const back = await callbackAtTally(invitee, await consentAtSimulator(start.body.authorizeUrl));
    expect(back.pathname).toBe(`/connect-invite/${token}`);
    // DigitalOcean was disconnected before: to the people involved this is a new connection, not a reconnect.
    expect(back.searchParams.get('result')).toBe('connected');
    const c = (await card('digitalocean')).connection;
    expect(c).toMatchObject({ status: 'active', method: 'oauth', connectedBy: { name: 'do-admin@example.com' } });
    // single use
    expect((await t.client().post(`/api/connect-invitations/${token}/authorize`, {})).status).toBe(410);
    const list = (await owner.get(`/api/orgs/${orgId}/connect-invitations`)).body.items;
    expect(list[0]).toMatchObject({ status: 'used', email: 'do-admin@example.com' });
  });

  it('an admin can revoke a pending connect-invitation', async () => {
    const created = await owner.post(`/api/orgs/${orgId}/connect-invitations`, { provider: 'bitbucket', email: 'bb@example.com' });
    expect((await owner.delete(`/api/orgs/${orgId}/connect-invitations/${created.body.invitation.id}`)).status).toBe(200);
    expect((await t.client().get(`/api/connect-invitations/${created.body.link.split('/connect-invite/')[1]}`)).status).toBe(410);
  });
});

describe('disconnect', () => {
  it('revokes the grant at DigitalOcean, deletes the credentials and keeps the connection’s history', async () => {
    const c = (await card('digitalocean')).connection;
    const res = await owner.post(`/api/orgs/${orgId}/connections/${c.id}/disconnect`, { deleteData: false });
    expect(res.body).toEqual({ revoked: 'revoked' });
    const row = await ctx.db.selectFrom('connections').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'disconnected', access_token_enc: null, refresh_token_enc: null });
    const grants = (await simJson('/digitalocean/grants')) as Array<{ kind: string; revokedAt: string | null }>;
    expect(grants.filter((g) => g.kind === 'oauth' && g.revokedAt === null)).toHaveLength(0);
    const actions = (await ctx.db.selectFrom('audit_log').select('action').where('target', '=', c.id).execute()).map((r) => r.action);
    expect(actions.filter((a) => a === 'connection.connected')).toHaveLength(2);
    expect(actions.filter((a) => a === 'connection.disconnected')).toHaveLength(2);
    hook.close();
  });
});

describe('the audit log', () => {
  it('records connect, reconnect, disconnect, the refresh that failed, and connect-invitations sent, used and revoked', async () => {
    const actions = (await ctx.db.selectFrom('audit_log').select('action').where('organization_id', '=', orgId).execute()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'connection.connected',
        'connection.reconnected',
        'connection.disconnected',
        'connection.refresh_failed',
        'connect_invitation.sent',
        'connect_invitation.used',
        'connect_invitation.revoked',
      ]),
    );
  });
});
