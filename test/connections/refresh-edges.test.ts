import { describe, expect, it } from 'vitest';
import { connectionsDueForRefresh, KEEP_ALIVE_MS, refreshConnection } from '../../src/connections/refresh.ts';
import { refreshTokens } from '../../src/jobs/definitions.ts';
import { refreshContext } from '../../src/oauth/contexts.ts';
import { runSync } from '../../src/sync/engine.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

/**
 * Token lifecycle cases the lifecycle file leaves out: the weekly keep-alive of an idle refresh token,
 * a provider that fails (5xx, dropped connection) during a refresh, and an API that keeps refusing a token
 * it was just given.
 */
const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
const ctx = t.tally.ctx;
const sim = ctx.simulated.digitalocean!.endpoints.apiBaseUrl.replace(/\/digitalocean$/, '');
const control = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
  const res = await fetch(`${sim}/_sim${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
};
await connect(owner, orgId, 'digitalocean');
await connect(owner, orgId, 'bitbucket');
const idOf = async (provider: string) => (await ctx.db.selectFrom('connections').select('id').where('provider', '=', provider).executeTakeFirstOrThrow()).id;
const digitalocean = await idOf('digitalocean');
const bitbucket = await idOf('bitbucket');
const row = (id: string) => ctx.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const actions = async (id: string) => (await ctx.db.selectFrom('audit_log').select('action').where('target', '=', id).execute()).map((r) => r.action);
const refreshGrants = async () => ((await control('/counters')) as { refreshTokenGrants: Record<string, number> }).refreshTokenGrants;

describe('keep-alive', () => {
  it('a refresh token left unused for a week is exercised by the scheduled job, though its access token is far from expiry', async () => {
    // DigitalOcean access tokens live 30 days: only the keep-alive makes this one due.
    const before = await row(digitalocean);
    expect(await connectionsDueForRefresh(ctx)).toEqual([]);
    await ctx.db.updateTable('connections').set({ last_refreshed_at: new Date(Date.now() - KEEP_ALIVE_MS - 60_000) }).where('id', '=', digitalocean).execute();
    expect(await connectionsDueForRefresh(ctx)).toEqual([{ id: digitalocean, reason: 'keep_alive' }]);
    await control('/counters/reset', {});
    await refreshTokens.run(ctx, {}, { id: 'test', signal: new AbortController().signal });
    expect((await refreshGrants()).digitalocean).toBe(1);
    const after = await row(digitalocean);
    expect(after.status).toBe('active');
    expect(after.last_refreshed_at!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(ctx.vault.decrypt(after.refresh_token_enc!, refreshContext(digitalocean))).not.toBe(ctx.vault.decrypt(before.refresh_token_enc!, refreshContext(digitalocean)));
    expect(await connectionsDueForRefresh(ctx)).toEqual([]);
  });
});

describe('a provider failing during a refresh', () => {
  it.each([
    ['503', { kind: '503' }],
    ['a dropped connection', { kind: 'drop' }],
  ])('%s is retryable: the status stays active, nothing is recorded as a refresh failure, and the next try works', async (_name, fault) => {
    await ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', bitbucket).execute();
    const before = await row(bitbucket);
    const rule = (await control('/faults', { provider: 'bitbucket', route: '/site/oauth2/access_token', probability: 1, ...fault })) as { id: string };
    try {
      await expect(refreshConnection(ctx, bitbucket, { reason: 'due' })).rejects.toThrow(/it will be tried again/);
    } finally {
      await control(`/faults/${rule.id}`, undefined, 'DELETE');
    }
    const after = await row(bitbucket);
    expect(after).toMatchObject({ status: 'active', status_reason: null, refresh_token_enc: before.refresh_token_enc });
    expect(await actions(bitbucket)).not.toContain('connection.refresh_failed');
    expect(await refreshConnection(ctx, bitbucket, { reason: 'due' })).toBe('refreshed');
  });
});

describe('a token refused right after a refresh', () => {
  it('turns the connection to Reconnect needed after one refresh, records why, and pauses later syncs', async () => {
    const rule = (await control('/faults', { provider: 'digitalocean', route: '/v2/droplets', kind: 'expired_token', probability: 1 })) as { id: string };
    await control('/counters/reset', {});
    let result;
    try {
      result = await runSync(ctx, digitalocean, { trigger: 'test', streams: ['droplets'], startingDelayMs: 5, timeoutMs: 2000 });
    } finally {
      await control(`/faults/${rule.id}`, undefined, 'DELETE');
    }
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'needs_reconnect', message: expect.stringMatching(/even after a refresh/) });
    expect((await refreshGrants()).digitalocean).toBe(1);
    const c = await row(digitalocean);
    expect(c.status).toBe('needs_reconnect');
    expect(c.status_reason).toMatch(/refused the credentials .* even after a refresh/);
    expect(await actions(digitalocean)).toContain('connection.access_refused');
    expect((await runSync(ctx, digitalocean, { trigger: 'test', streams: ['droplets'] })).status).toBe('paused');
  });
});
