import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/engine.ts';
import { STALE_RUN_MS, sweepAbandonedRuns } from '../../src/sync/runs.ts';
import { syncConnection } from '../../src/sync/schedule.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'bitbucket');
await connect(owner, orgId, 'digitalocean');
const ctx = t.tally.ctx;
const idOf = async (provider: string) => (await ctx.db.selectFrom('connections').select('id').where('provider', '=', provider).executeTakeFirstOrThrow()).id;
const bitbucket = await idOf('bitbucket');
const digitalocean = await idOf('digitalocean');
const overview = async () => {
  const res = await owner.get(`/api/orgs/${orgId}/analytics/overview`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { people: number; seats: number; active: number };
};
const recomputes = () => t.logs.filter((l) => l.msg === 'analytics recomputed' && (l.connectionIds as string[] | undefined)?.includes(bitbucket)).length;

describe('first figures', () => {
  it('a first sync shows seats and people on the Overview once the member lists are in, while the history is still being read', async () => {
    expect(await overview()).toMatchObject({ people: 0, seats: 0 });
    let during: { people: number; seats: number; runStatus: string } | undefined;
    const result = await syncConnection(ctx, bitbucket, {
      trigger: 'test',
      // The first page of the first stream with activity (commits): the member streams are done, the history is not.
      onProgress: async (p) => {
        if (during || p.stream !== 'commits') return;
        const run = await ctx.db.selectFrom('sync_runs').select('status').where('connection_id', '=', bitbucket).orderBy('started_at', 'desc').executeTakeFirstOrThrow();
        during = { ...(await overview()), runStatus: run.status };
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    const after = await overview();
    expect(during).toMatchObject({ runStatus: 'running' });
    expect(during!.seats).toBeGreaterThan(0);
    expect(during!.people).toBeGreaterThan(0);
    // The member lists did not change during the run: the seats shown early were already the final ones.
    expect(during!.seats).toBe(after.seats);
    expect(after.active).toBeGreaterThan(0);
    expect(recomputes()).toBe(2);
  }, 180_000);

  it('later syncs recompute once, at the end (the Overview keeps the previous figures meanwhile)', async () => {
    const result = await syncConnection(ctx, bitbucket, { trigger: 'test' });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(recomputes()).toBe(3);
  }, 180_000);

  it('a sync that waits for request budget longer than the stale threshold keeps its run alive and is not swept', async () => {
    // One request first, so that Tally's budget keys for this token exist.
    expect((await runSync(ctx, digitalocean, { trigger: 'test', streams: ['account'] })).status).toBe('succeeded');
    const waitS = STALE_RUN_MS / 1000 + 20;
    // The token's hourly budget was all spent just under an hour ago: the next request waits about waitS.
    await sql`
      insert into rate_events (key, connection_id, at)
      select k.key, ${digitalocean}::uuid, now() - interval '1 hour' + make_interval(secs => ${waitS})
      from (select distinct key from rate_events where connection_id = ${digitalocean}::uuid and key like '%:3600000') k, generate_series(1, 4800)`.execute(ctx.db);
    let settled = false;
    const syncing = runSync(ctx, digitalocean, { trigger: 'test', streams: ['account'] }).finally(() => (settled = true));
    // Any Tally's scheduler sweeps runs whose heartbeat is late, every minute; here every 5 seconds.
    const swept: string[] = [];
    while (!settled) {
      await new Promise((r) => setTimeout(r, 5_000));
      swept.push(...(await sweepAbandonedRuns(ctx.db)));
    }
    const result = await syncing;
    expect(swept).toEqual([]);
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(result.counters.rateLimitWaitMs).toBeGreaterThan(STALE_RUN_MS);
    const run = await ctx.db.selectFrom('sync_runs').selectAll().where('id', '=', result.runId!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'succeeded', error_code: null });
  }, 300_000);
});
