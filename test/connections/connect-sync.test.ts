import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally, type TestTally } from '../support/tally.ts';

// Tally with its schedules on, as in production; the second one has them off, as tests and maintenance do.
const t = await startTestTally({ simulators: true, env: { TALLY_SYNC_SCHEDULES: 'on' } });
const { owner, orgId } = await setUpOrganization(t);
const ctx = t.tally.ctx;

const runsOf = (tally: TestTally, connectionId: string) =>
  tally.tally.ctx.db.selectFrom('sync_runs').selectAll().where('connection_id', '=', connectionId).orderBy('started_at', 'desc').execute();
/** Sync jobs of the connection in the queue (any state), by their trigger. */
const queuedJobs = async (tally: TestTally, connectionId: string) =>
  (await sql<{ trigger: string }>`select data->>'trigger' as trigger from pgboss.job where name = 'sync.run' and singleton_key = ${connectionId}`.execute(tally.tally.ctx.db)).rows.map((r) => r.trigger);

async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 150_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a sync at once after Connect', () => {
  let bitbucket: string;

  it('Connect queues a sync of every stream before the browser is back, a worker runs it, and it counts as the scheduled one', async () => {
    const back = await connect(owner, orgId, 'bitbucket');
    expect(back.searchParams.get('result')).toBe('connected');
    bitbucket = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'bitbucket').executeTakeFirstOrThrow()).id;
    // Queued within the callback: no waiting for the scheduler's next minute.
    expect(await queuedJobs(t, bitbucket)).toContain('connect');
    const run = await waitFor('the sync queued by Connect', async () => (await runsOf(t, bitbucket)).find((r) => r.trigger === 'connect' && r.status !== 'running'));
    expect(run.status, run.error_message ?? '').toBe('succeeded');
    expect(run.streams).toEqual(expect.arrayContaining(['members', 'workspace_permissions', 'commits', 'pull_requests']));
    const schedule = await ctx.db.selectFrom('sync_schedules').selectAll().where('connection_id', '=', bitbucket).executeTakeFirstOrThrow();
    expect(schedule.last_activity_at).not.toBeNull();
    expect(schedule.last_billing_at).not.toBeNull();
    const overview = await owner.get(`/api/orgs/${orgId}/analytics/overview`);
    expect(overview.status).toBe(200);
    expect(overview.body.seats).toBeGreaterThan(0);
  }, 180_000);

  it('Reconnect queues a sync too, marked as such', async () => {
    const back = await connect(owner, orgId, 'bitbucket');
    expect(back.searchParams.get('result')).toBe('reconnected');
    const run = await waitFor('the sync queued by Reconnect', async () => (await runsOf(t, bitbucket)).find((r) => r.trigger === 'reconnect' && r.status !== 'running'));
    expect(run.status, run.error_message ?? '').toBe('succeeded');
  }, 180_000);

  it('with TALLY_SYNC_SCHEDULES=off, Connect starts no sync (Tally starts none by itself)', async () => {
    const off = await startTestTally({ simulators: true });
    const org = await setUpOrganization(off);
    const back = await connect(org.owner, org.orgId, 'digitalocean');
    expect(back.searchParams.get('result')).toBe('connected');
    const id = (await off.tally.ctx.db.selectFrom('connections').select('id').executeTakeFirstOrThrow()).id;
    expect(await queuedJobs(off, id)).toEqual([]);
    expect(await runsOf(off, id)).toEqual([]);
  });
});
