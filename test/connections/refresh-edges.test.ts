import { describe, expect, it } from 'vitest';
import { connectionsDueForRefresh, KEEP_ALIVE_MS, refreshConnection, refreshRetryDelay } from '../../src/connections/refresh.ts';
import { refreshTokens } from '../../src/jobs/definitions.ts';
import { refreshContext } from '../../src/oauth/contexts.ts';
import { runSync } from '../../src/sync/engine.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';
import { simControl } from '../support/sim-control.ts';

/**
 * Token lifecycle cases the lifecycle file leaves out: the weekly keep-alive of an idle refresh token,
 * a provider that fails (5xx, 429, dropped connection, timeout, HTML, cut-short JSON) during a refresh and
 * the backoff within one refresh and across the scheduled job's runs, and an API that keeps refusing a
 * token it was just given.
 */
const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
const ctx = t.tally.ctx;
const control = simControl(ctx);
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
  /** Short waits, so a test does not sit through the real ones (500 ms doubling; 20 s per request). */
  const FAST = { startingDelayMs: 5, timeoutMs: 400 };
  const TOKEN_ROUTE = 'bitbucket POST /site/oauth2/access_token';
  const tokenRequests = async () => ((await control('/counters')) as { byRoute: Record<string, number> }).byRoute[TOKEN_ROUTE] ?? 0;
  const expire = () => ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', bitbucket).execute();
  /** Adds a fault rule on Bitbucket's token endpoint for the length of `body`. */
  async function withTokenFault<T>(fault: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
    const rule = (await control('/faults', { provider: 'bitbucket', route: '/site/oauth2/access_token', probability: 1, ...fault })) as { id: string };
    try {
      return await body();
    } finally {
      await control(`/faults/${rule.id}`, undefined, 'DELETE');
    }
  }

  it.each([
    ['503', { kind: '503' }],
    ['502', { kind: '502' }],
    ['429', { kind: '429' }],
    ['a dropped connection', { kind: 'drop' }],
    ['no answer (timeout)', { kind: 'timeout', delayMs: 2000 }],
    ['a bot-protection page', { kind: 'html_challenge', status: 403 }],
  ])('%s twice, then an answer: retried within the same refresh, 3 token requests, the connection stays active', async (_name, fault) => {
    await expire();
    const before = await row(bitbucket);
    await control('/counters/reset', {});
    const outcome = await withTokenFault({ ...fault, times: 2 }, () => refreshConnection(ctx, bitbucket, { reason: 'due', backoff: FAST }));
    expect(outcome).toBe('refreshed');
    expect(await tokenRequests()).toBe(3);
    const after = await row(bitbucket);
    expect(after).toMatchObject({ status: 'active', status_reason: null, refresh_failures: 0, refresh_failed_at: null });
    expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc);
  });

  it('a provider that keeps failing: a bounded number of token requests, the status unchanged, the failure counted but not recorded as a dead grant', async () => {
    await expire();
    const before = await row(bitbucket);
    await control('/counters/reset', {});
    await withTokenFault({ kind: '503' }, () => expect(refreshConnection(ctx, bitbucket, { reason: 'due', backoff: FAST })).rejects.toThrow(/503, after retries\); it will be tried again/));
    expect(await tokenRequests()).toBe(4);
    const after = await row(bitbucket);
    expect(after).toMatchObject({ status: 'active', status_reason: null, refresh_token_enc: before.refresh_token_enc, refresh_failures: 1 });
    expect(after.refresh_failed_at!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await actions(bitbucket)).not.toContain('connection.refresh_failed');
  });

  it('the scheduled job leaves a connection whose refreshes keep failing alone for 5, 10, 20, 40, then 60 minutes', async () => {
    expect([1, 2, 3, 4, 5, 8].map((n) => refreshRetryDelay(n) / 60_000)).toEqual([5, 10, 20, 40, 60, 60]);
    const failedAgo = (minutes: number) => ctx.db.updateTable('connections').set({ refresh_failed_at: new Date(Date.now() - minutes * 60_000) }).where('id', '=', bitbucket).execute();
    const runJob = async () => {
      await control('/counters/reset', {});
      await refreshTokens.run(ctx, {}, { id: 'test', signal: new AbortController().signal });
      return tokenRequests();
    };
    await withTokenFault({ kind: '503' }, async () => {
      // One failure (the test before) a moment ago: the job's next run, minutes later, may try again.
      expect(await connectionsDueForRefresh(ctx)).toEqual([]);
      expect(await runJob()).toBe(0);
      await failedAgo(5);
      expect(await connectionsDueForRefresh(ctx)).toEqual([{ id: bitbucket, reason: 'due' }]);
      expect(await runJob()).toBe(4); // the job's own try, with its retries
      expect((await row(bitbucket)).refresh_failures).toBe(2);
      await failedAgo(5);
      expect(await runJob()).toBe(0); // two failures: 10 minutes
      await failedAgo(10);
      expect(await connectionsDueForRefresh(ctx)).toEqual([{ id: bitbucket, reason: 'due' }]);
    });
    // The provider is back: the next try works and the count starts over.
    expect(await runJob()).toBe(1);
    expect(await row(bitbucket)).toMatchObject({ status: 'active', refresh_failures: 0, refresh_failed_at: null });
    expect(await connectionsDueForRefresh(ctx)).toEqual([]);
  }, 120_000);

  it('invalid_grant after passing failures is not retried: one request for it, then Reconnect needed', async () => {
    const grants = (await control('/bitbucket/grants')) as Array<{ id: string; clientId: string; revokedAt: string | null; kind: string }>;
    const tallys = grants.filter((g) => g.kind === 'oauth' && g.clientId === ctx.simulated.bitbucket!.clientId && g.revokedAt === null);
    for (const g of tallys) await control(`/bitbucket/grants/${g.id}/revoke`, {});
    await expire();
    await control('/counters/reset', {});
    const outcome = await withTokenFault({ kind: '503', times: 2 }, () => refreshConnection(ctx, bitbucket, { reason: 'due', backoff: FAST }));
    expect(outcome).toBe('needs_reconnect');
    expect(await tokenRequests()).toBe(3);
    expect(await row(bitbucket)).toMatchObject({ status: 'needs_reconnect' });
    expect(await actions(bitbucket)).toContain('connection.refresh_failed');
  });

  it('Reconnect starts the failure count over: the new tokens are not held back by the old failures', async () => {
    await ctx.db.updateTable('connections').set({ refresh_failures: 4, refresh_failed_at: new Date() }).where('id', '=', bitbucket).execute();
    await connect(owner, orgId, 'bitbucket');
    expect(await row(bitbucket)).toMatchObject({ status: 'active', refresh_failures: 0, refresh_failed_at: null });
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
