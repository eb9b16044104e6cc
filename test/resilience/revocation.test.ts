import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ProviderSlug } from '../../src/api/contracts/connections.ts';
import { refreshTokens } from '../../src/jobs/definitions.ts';
import { runSync } from '../../src/sync/engine.ts';
import { dueConnections } from '../../src/sync/schedule.ts';
import { printFigures } from './support/figures.ts';
import { startWorld } from './support/world.ts';

/**
 * A grant revoked at the provider: Tally must turn the connection to Reconnect needed after one attempt,
 * then leave the provider alone. A simulated day follows (both clocks move together in 5-minute ticks):
 * the refresh job runs every tick as its cron does, and every hour each connection is asked to sync as its
 * activity schedule would. A healthy Bitbucket connection in another organization lives the same day, to
 * show that refreshes stay at most one per hour when a token really needs them.
 */
const TICK_MINUTES = 5;
const TICKS_PER_DAY = (24 * 60) / TICK_MINUTES;

type Grant = { id: string; kind: string; revokedAt: string | null; refreshCount: number };
type Counters = { refreshTokenGrants: Record<ProviderSlug, number>; byRoute: Record<string, number> };
/** Requests to DigitalOcean's API (not its OAuth endpoints). */
const doApiRequests = (c: Counters) => Object.entries(c.byRoute).filter(([route]) => /^digitalocean \w+ \/v2\//.test(route)).reduce((n, [, v]) => n + v, 0);

const w = await startWorld({ connect: ['digitalocean', 'bitbucket'] });
const revoked: Record<ProviderSlug, string> = { digitalocean: await w.connectionId('digitalocean'), bitbucket: await w.connectionId('bitbucket') };
for (const provider of ['digitalocean', 'bitbucket'] as const) {
  for (const g of await w.control<Grant[]>(`/${provider}/grants`)) if (g.kind === 'oauth' && !g.revokedAt) await w.control(`/${provider}/grants/${g.id}/revoke`, {});
}
const healthyOrg = await w.addOrganization('Healthy Inc', ['bitbucket']);
const healthy = await w.connectionId('bitbucket', healthyOrg);
const probe: Record<ProviderSlug, string> = { digitalocean: 'account', bitbucket: 'workspaces' };
const statusOf = async (id: string) => (await w.ctx.db.selectFrom('connections').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const counters = () => w.control<Counters>('/counters');

/** Five minutes pass for the simulators and for every time Tally stored about its connections. */
async function tick() {
  await w.control('/time/advance', { hours: TICK_MINUTES / 60 });
  const minus = sql`interval '${sql.raw(String(TICK_MINUTES))} minutes'`;
  await sql`update connections set access_expires_at = access_expires_at - ${minus}, last_refreshed_at = last_refreshed_at - ${minus},
    connected_at = connected_at - ${minus}, refresh_token_issued_at = refresh_token_issued_at - ${minus}`.execute(w.ctx.db);
  await sql`update rate_events set at = at - ${minus}`.execute(w.ctx.db);
}

describe('a grant revoked at the provider', () => {
  it('turns the connection to Reconnect needed after one attempt, and no attempt follows over a simulated day', async () => {
    await w.control('/counters/reset', {});
    // DigitalOcean: a sync meets the revoked token (401), refreshes once, is refused, and stops.
    const doSync = await runSync(w.ctx, revoked.digitalocean, { trigger: 'resilience' });
    const afterDo = await counters();
    // Bitbucket: the scheduled refresh finds its token due and the grant gone.
    await w.ctx.db.updateTable('connections').set({ access_expires_at: new Date(Date.now() - 1000) }).where('id', '=', revoked.bitbucket).execute();
    await refreshTokens.run(w.ctx, {}, { id: 'resilience', signal: new AbortController().signal });
    const afterBb = await counters();
    const found = {
      digitalocean: { status: await statusOf(revoked.digitalocean), refreshes: afterDo.refreshTokenGrants.digitalocean, requests: doApiRequests(afterDo), sync: doSync.error?.code },
      bitbucket: { status: await statusOf(revoked.bitbucket), refreshes: afterBb.refreshTokenGrants.bitbucket },
    };

    const healthyGrant = async () => (await w.control<Grant[]>('/bitbucket/grants')).find((g) => g.kind === 'oauth' && !g.revokedAt)!;
    const healthyRefreshesBefore = (await healthyGrant()).refreshCount;
    const before = await counters();
    const perHour: number[] = [];
    let hourStart = before.refreshTokenGrants.bitbucket + before.refreshTokenGrants.digitalocean;
    const syncs = { paused: 0, otherRevoked: 0, healthySucceeded: 0, healthyOther: [] as string[] };
    let listedAsDue = 0;
    for (let t = 1; t <= TICKS_PER_DAY; t++) {
      await tick();
      await refreshTokens.run(w.ctx, {}, { id: 'resilience', signal: new AbortController().signal });
      listedAsDue += (await dueConnections(w.ctx)).filter((d) => Object.values(revoked).includes(d.connectionId)).length;
      if (t % (60 / TICK_MINUTES) !== 0) continue;
      for (const [provider, id] of Object.entries(revoked) as Array<[ProviderSlug, string]>) {
        const r = await runSync(w.ctx, id, { trigger: 'resilience', streams: [probe[provider]] });
        if (r.status === 'paused') syncs.paused++;
        else syncs.otherRevoked++;
      }
      const h = await runSync(w.ctx, healthy, { trigger: 'resilience', streams: ['workspaces'] });
      if (h.status === 'succeeded') syncs.healthySucceeded++;
      else syncs.healthyOther.push(`${h.status}: ${h.error?.message}`);
      const c = await counters();
      const total = c.refreshTokenGrants.bitbucket + c.refreshTokenGrants.digitalocean;
      perHour.push(total - hourStart);
      hourStart = total;
    }
    const after = await counters();
    const healthyRefreshes = (await healthyGrant()).refreshCount - healthyRefreshesBefore;
    const dayRefreshes = after.refreshTokenGrants.bitbucket + after.refreshTokenGrants.digitalocean - before.refreshTokenGrants.bitbucket - before.refreshTokenGrants.digitalocean;
    const revokedRefreshes = dayRefreshes - healthyRefreshes;
    const doRequests = doApiRequests(after) - doApiRequests(before);

    printFigures('revocation', [
      { tried: 'DigitalOcean grant revoked, found by a sync: refresh attempts until Reconnect needed', figure: found.digitalocean.refreshes, expected: '1', ok: found.digitalocean.refreshes === 1 },
      { tried: 'DigitalOcean: API requests that sync made, and its status', figure: `${found.digitalocean.requests}, ${found.digitalocean.status}`, expected: '1 (the 401), needs_reconnect', ok: found.digitalocean.requests === 1 && found.digitalocean.status === 'needs_reconnect' },
      { tried: 'Bitbucket grant revoked, found by the refresh job: refresh attempts until Reconnect needed', figure: `${found.bitbucket.refreshes}, ${found.bitbucket.status}`, expected: '1, needs_reconnect', ok: found.bitbucket.refreshes === 1 && found.bitbucket.status === 'needs_reconnect' },
      { tried: `a simulated day: refresh job runs (every ${TICK_MINUTES} min) and hourly sync attempts of the revoked`, figure: `${TICKS_PER_DAY}, ${syncs.paused + syncs.otherRevoked}` },
      { tried: 'refresh requests for the revoked connections over that day', figure: revokedRefreshes, expected: '0', ok: revokedRefreshes === 0 },
      { tried: 'API requests with DigitalOcean’s revoked grant over that day', figure: doRequests, expected: '0', ok: doRequests === 0 },
      { tried: 'sync attempts of the revoked answered "paused"', figure: syncs.paused, expected: String(24 * 2), ok: syncs.paused === 48 },
      { tried: 'times the scheduler listed a revoked connection as due', figure: listedAsDue, expected: '0', ok: listedAsDue === 0 },
      { tried: 'healthy Bitbucket connection over the same day: refreshes, hourly syncs that succeeded', figure: `${healthyRefreshes}, ${syncs.healthySucceeded}`, expected: '≤ 24, 24', ok: healthyRefreshes <= 24 && healthyRefreshes >= 1 && syncs.healthySucceeded === 24 },
      { tried: 'most refresh requests in any simulated hour', figure: Math.max(...perHour), expected: '≤ 1', ok: Math.max(...perHour) <= 1 },
    ], syncs.healthyOther);

    expect(found).toEqual({ digitalocean: { status: 'needs_reconnect', refreshes: 1, requests: 1, sync: 'needs_reconnect' }, bitbucket: { status: 'needs_reconnect', refreshes: 1 } });
    expect({ revokedRefreshes, doRequests, listedAsDue, paused: syncs.paused, otherRevoked: syncs.otherRevoked }).toEqual({ revokedRefreshes: 0, doRequests: 0, listedAsDue: 0, paused: 48, otherRevoked: 0 });
    expect(syncs.healthyOther).toEqual([]);
    expect(healthyRefreshes).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perHour)).toBeLessThanOrEqual(1);
    expect(await statusOf(healthy)).toBe('active');
  }, 300_000);
});
