import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dueConnections, scheduleSyncs } from '../../src/sync/schedule.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally({ simulators: true, env: { TALLY_SYNC_SCHEDULES: 'on' } });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'digitalocean');
await connect(owner, orgId, 'bitbucket');
const ctx = t.tally.ctx;
const idOf = async (provider: string) => (await ctx.db.selectFrom('connections').select('id').where('provider', '=', provider).executeTakeFirstOrThrow()).id;
const digitalocean = await idOf('digitalocean');
const bitbucket = await idOf('bitbucket');
const simBase = ctx.simulated.bitbucket!.endpoints.apiBaseUrl.replace(/\/bitbucket.*$/, '');
const control = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
  const res = await fetch(`${simBase}/_sim${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return res.status === 204 ? undefined : res.json();
};

async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const runsOf = (connectionId: string) => ctx.db.selectFrom('sync_runs').selectAll().where('connection_id', '=', connectionId).orderBy('started_at', 'desc').execute();

/** Runs `tally sync` in a child process on the test's database (it reaches the simulators this process published). */
function cliSync(args: string[]) {
  const child = spawn(process.execPath, ['bin/tally.js', 'sync', ...args], {
    env: { ...process.env, DATABASE_URL: t.databaseUrl, TALLY_DATA_DIR: ctx.config.dataDir, TALLY_LOG_LEVEL: 'warn' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('sync schedules', () => {
  it('a Connect syncs every stream at once and counts as both groups; a connection never synced is due for both; once queued, neither is until its interval passed', async () => {
    for (const connectionId of [digitalocean, bitbucket]) {
      const run = await waitFor('the sync queued by Connect', async () => (await runsOf(connectionId)).find((r) => r.trigger === 'connect' && r.status !== 'running'), 150_000);
      expect(run.status, run.error_message ?? '').toBe('succeeded');
    }
    expect((await dueConnections(ctx)).map((d) => d.connectionId)).toEqual([]);
    await sql`update sync_schedules set last_activity_at = null, last_billing_at = null where connection_id = ${digitalocean}`.execute(ctx.db);
    const due = await dueConnections(ctx);
    expect(due.find((d) => d.connectionId === digitalocean)?.groups).toEqual(['activity', 'daily']);
    await scheduleSyncs.run(ctx, {}, { id: 'test', signal: new AbortController().signal });
    expect((await dueConnections(ctx)).map((d) => d.connectionId)).not.toContain(digitalocean);
    // An hour later (by the schedule's clock) only the hourly activity streams are due.
    await sql`update sync_schedules set last_activity_at = last_activity_at - interval '61 minutes' where connection_id = ${digitalocean}`.execute(ctx.db);
    expect((await dueConnections(ctx)).find((d) => d.connectionId === digitalocean)?.groups).toEqual(['activity']);
  }, 180_000);

  it('the queued syncs run on the workers, billing and activity streams as scheduled', async () => {
    const finished = await waitFor('the scheduled run', async () => (await runsOf(digitalocean)).find((r) => r.trigger === 'schedule:activity+daily' && r.status !== 'running'));
    expect(finished.status).toBe('succeeded');
    expect(finished.streams).toEqual(expect.arrayContaining(['droplets', 'invoices', 'balance']));
  });

  it('Sync now queues a sync that a worker runs, and the health and runs APIs report it', async () => {
    await waitFor('no run of Bitbucket in flight', async () => !(await runsOf(bitbucket)).some((r) => r.status === 'running'));
    const res = await owner.post(`/api/orgs/${orgId}/connections/${bitbucket}/sync`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.queued).toBe(true);
    const run = await waitFor('the manual run', async () => (await runsOf(bitbucket)).find((r) => r.trigger === 'manual' && r.status !== 'running'));
    expect(run.status, run.error_message ?? '').toBe('succeeded');
    const runs = await owner.get(`/api/orgs/${orgId}/sync/runs?connectionId=${bitbucket}`);
    expect(runs.status).toBe(200);
    expect(runs.body.items[0]).toMatchObject({ id: run.id, trigger: 'manual', status: 'succeeded', provider: 'bitbucket' });
    const health = await owner.get(`/api/orgs/${orgId}/sync/health`);
    const card = health.body.connections.find((c: any) => c.connectionId === bitbucket);
    expect(card).toMatchObject({ status: 'active', lastRun: { id: run.id }, schedule: { activityEveryMinutes: 60, billingEveryMinutes: 1440, paused: false } });
    expect(card.lastSucceededAt).not.toBeNull();
  });

  it('the health API shows a Sync now as queued, running or done at every moment, never as if nothing happened', async () => {
    const seen = { queued: 0, running: 0, done: 0 };
    for (let round = 0; round < 3; round++) {
      await waitFor('Bitbucket idle', async () => {
        const card = (await owner.get(`/api/orgs/${orgId}/sync/health`)).body.connections.find((c: any) => c.connectionId === bitbucket);
        return !card.running && !card.queued;
      });
      const before = (await runsOf(bitbucket))[0]?.id;
      const res = await owner.post(`/api/orgs/${orgId}/connections/${bitbucket}/sync`, {});
      expect(res.body.queued).toBe(true);
      // Several pollers, as several open dashboards: each answer must show the sync somewhere.
      let finished = false;
      const poll = async () => {
        while (!finished) {
          const card = (await owner.get(`/api/orgs/${orgId}/sync/health`)).body.connections.find((c: any) => c.connectionId === bitbucket);
          const done = card.lastRun !== null && card.lastRun.id !== before;
          expect(card.queued || card.running !== null || done, JSON.stringify({ queued: card.queued, running: card.running, lastRun: card.lastRun?.id })).toBe(true);
          if (card.queued) seen.queued++;
          else if (card.running) seen.running++;
          else {
            seen.done++;
            finished = true;
          }
        }
      };
      await Promise.all([poll(), poll(), poll(), poll()]);
    }
    expect(seen.running).toBeGreaterThan(0);
  }, 120_000);

  it('Sync now refuses unknown streams, and a schedule can be changed within limits', async () => {
    const bad = await owner.post(`/api/orgs/${orgId}/connections/${bitbucket}/sync`, { streams: ['droplets'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Unknown stream.*droplets/);
    const set = await owner.put(`/api/orgs/${orgId}/connections/${bitbucket}/sync/schedule`, { activityEveryMinutes: 30, billingEveryMinutes: 720 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ activityEveryMinutes: 30, billingEveryMinutes: 720 });
    const tooOften = await owner.put(`/api/orgs/${orgId}/connections/${bitbucket}/sync/schedule`, { activityEveryMinutes: 1, billingEveryMinutes: 720 });
    expect(tooOften.status).toBe(400);
  });

  it('a connection that needs Reconnect is not scheduled and refuses Sync now; once active again it is due', async () => {
    await ctx.db.updateTable('connections').set({ status: 'needs_reconnect', status_reason: 'test' }).where('id', '=', digitalocean).execute();
    await sql`update sync_schedules set last_activity_at = null, last_billing_at = null where connection_id = ${digitalocean}`.execute(ctx.db);
    expect((await dueConnections(ctx)).map((d) => d.connectionId)).not.toContain(digitalocean);
    const res = await owner.post(`/api/orgs/${orgId}/connections/${digitalocean}/sync`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/reconnect/i);
    const health = await owner.get(`/api/orgs/${orgId}/sync/health`);
    expect(health.body.connections.find((c: any) => c.connectionId === digitalocean).schedule).toMatchObject({ paused: true, nextActivityAt: null });
    await ctx.db.updateTable('connections').set({ status: 'active', status_reason: null }).where('id', '=', digitalocean).execute();
    expect((await dueConnections(ctx)).map((d) => d.connectionId)).toContain(digitalocean);
  });
});

describe('a worker killed mid-sync', () => {
  it('is swept at once on restart, and the resumed sync ends with the same data as an uninterrupted one', async () => {
    await waitFor('no run of Bitbucket in flight', async () => !(await runsOf(bitbucket)).some((r) => r.status === 'running'));
    // Start over so the sync is long, and slow the simulator down so there is time to kill it mid-way.
    for (const table of ['sync_records', 'sync_checkpoints', 'activity_events', 'app_accounts'] as const) {
      await ctx.db.deleteFrom(table).where('connection_id', '=', bitbucket).execute();
    }
    const fault = await control('/faults', { provider: 'bitbucket', kind: 'slow', delayMs: 150, probability: 1 });
    const first = cliSync([bitbucket]);
    const killedAt = await waitFor('the CLI sync to commit some pages', async () => {
      const running = (await runsOf(bitbucket)).find((r) => r.status === 'running' && r.trigger === 'cli');
      return running && running.pages >= 15 && running;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    await control(`/faults/${fault.id}`, undefined, 'DELETE');
    expect((await runsOf(bitbucket)).find((r) => r.id === killedAt.id)!.status).toBe('running');

    const second = cliSync([bitbucket]);
    const code = await second.exited;
    expect(code, second.output()).toBe(0);
    expect(second.output()).toMatch(/Done in .* requests/);
    const runs = await runsOf(bitbucket);
    expect(runs.find((r) => r.id === killedAt.id)).toMatchObject({ status: 'failed', error_code: 'abandoned' });
    expect(runs.some((r) => r.status === 'running')).toBe(false);
    // Resumed, not restarted: the second run read fewer pages than a whole sync.
    const resumed = runs.find((r) => r.trigger === 'cli' && r.status === 'succeeded')!;
    expect(resumed.records_added).toBeGreaterThan(0);

    const truth = (await control('/truth')).bitbucket;
    const count = async (stream: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from sync_records where connection_id = ${bitbucket} and stream = ${stream} and deleted_at is null`.execute(ctx.db)).rows[0]!.n;
    expect(await count('commits')).toBe(truth.commits);
    expect(await count('members')).toBe(truth.members);
    expect(await count('pull_requests')).toBe(truth.pullRequests.OPEN + truth.pullRequests.MERGED + truth.pullRequests.DECLINED);
    const commits = await sql<{ n: number }>`select coalesce(sum(count), 0)::int as n from activity_events where connection_id = ${bitbucket} and feature = 'commit'`.execute(ctx.db);
    expect(commits.rows[0]!.n).toBe(truth.commits);
  }, 180_000);

  it('tally sync status lists every connection with its last run', async () => {
    const status = cliSync(['status']);
    expect(await status.exited, status.output()).toBe(0);
    expect(status.output()).toMatch(/Bitbucket Cloud\s+active\s+\S+ \S+\s+succeeded/);
    expect(status.output()).toMatch(/DigitalOcean/);
  });
});
