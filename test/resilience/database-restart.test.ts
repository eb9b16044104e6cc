import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProviderSlug } from '../../src/api/contracts/connections.ts';
import { createLogger } from '../../src/log.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/store/embedded.ts';
import { runSync } from '../../src/sync/engine.ts';
import { STALE_RUN_MS } from '../../src/sync/runs.ts';
import { requestSync, setSchedule } from '../../src/sync/schedule.ts';
import { freePort } from '../support/ports.ts';
import { printFigures } from './support/figures.ts';
import { spawnWorker, TALLY, workerLogs } from './support/processes.ts';
import { sized, timeoutFor } from './support/size.ts';
import { clearOfMidnight, clearSyncedData, compare, snapshot, startWorld, storedTokens } from './support/world.ts';

/**
 * PostgreSQL restarted (fast shutdown: every connection cut) in the middle of a sync, run either by a
 * `tally sync` process or as a job in Tally's own queue (the way `tally serve` and `tally worker` run them).
 * The interrupted sync fails; the next `tally sync`, or the queue's retries and the scheduler by themselves,
 * must resume from the last committed page and end with exactly the data of an uninterrupted first sync (a
 * reference connection in another organization, same provider account).
 * The suite owns this PostgreSQL (embedded, in a directory of its own), so stopping it touches no other test.
 */
const PROVIDERS: ProviderSlug[] = ['digitalocean', 'bitbucket'];
const RESTARTS = sized(1, 6);
// (reduced: one restart under a `tally sync` process; full: three of those and three under queued syncs)

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-restart-pg-'));
fs.chmodSync(dataDir, 0o755); // as root the server runs as `postgres`, which must enter it
const port = await freePort();
const pgLog = createLogger('warn');
let postgres: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir, port, log: pgLog, database: 'tally' });
afterAll(async () => {
  await postgres.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const w = await startWorld({ connect: PROVIDERS, jobs: true, env: { DATABASE_URL: postgres.connectionString } });
const restartedOrg = await w.addOrganization('Restarted Inc', PROVIDERS);
const reference = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, await w.connectionId(p)]))) as Record<ProviderSlug, string>;
const restarted = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p, await w.connectionId(p, restartedOrg)]))) as Record<ProviderSlug, string>;
// Only the suite asks for syncs: the schedules are set as far apart as Tally allows.
for (const id of [...Object.values(reference), ...Object.values(restarted)]) {
  await setSchedule(w.ctx, id, { activityEveryMinutes: 10080, billingEveryMinutes: 10080 });
  await w.ctx.db.updateTable('sync_schedules').set({ last_activity_at: new Date(), last_billing_at: new Date() }).where('connection_id', '=', id).execute();
}

/** Polls a query until it answers something truthy, tolerating a database that is down meanwhile. */
async function until<T>(what: string, query: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await query().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runsOf = (connectionId: string) => w.ctx.db.selectFrom('sync_runs').select(['id', 'status', 'error_code', 'started_at', 'pages']).where('connection_id', '=', connectionId).orderBy('started_at').execute();

async function restartPostgres(): Promise<number> {
  const stopping = Date.now();
  await postgres.stop();
  postgres = await startEmbeddedPostgres({ dataDir, port, log: pgLog, database: 'tally' });
  return Date.now() - stopping;
}

describe('PostgreSQL restarted in the middle of a sync', () => {
  it(`${RESTARTS} restart(s): the sync comes back, resumes, and nothing is lost`, async () => {
    const totals = { restarts: 0, downMs: [] as number[], resumedS: { process: [] as number[], queue: [] as number[] }, interrupted: 0, rows: 0, lost: 0, extra: 0, changed: 0, stuck: 0, endings: [] as string[] };
    const problems: string[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      // A `tally sync` process first (the reduced size), then a sync queued in the running Tally, alternately.
      const path = i % 2 === 0 ? 'process' : 'queue';
      const provider = PROVIDERS[Math.floor(i / 2) % PROVIDERS.length]!;
      if (i > 0) {
        await w.control('/time/advance', { hours: 1 });
        await sql`update rate_events set at = at - interval '1 hour'`.execute(w.ctx.db);
      }
      // The reference and the interrupted sync (with its resume) may not straddle midnight.
      await clearOfMidnight(4 * 60_000);
      await clearSyncedData(w.ctx, reference[provider]);
      const refStarted = Date.now();
      const ref = await runSync(w.ctx, reference[provider], { trigger: 'resilience' });
      expect(ref.status, JSON.stringify(ref.error)).toBe('succeeded');
      const spanMs = Date.now() - refStarted;
      await clearSyncedData(w.ctx, restarted[provider]);
      const before = new Date();
      const victim = path === 'process' ? spawnWorker(w.env, ['sync', restarted[provider]], TALLY) : undefined;
      if (!victim) expect(await requestSync(w.ctx, { connectionId: restarted[provider], trigger: 'resilience' })).toBe(true);
      const run = await until('the sync to start', async () => (await runsOf(restarted[provider])).find((r) => r.status === 'running' && r.started_at >= before), 120_000);
      // Somewhere in the first sync: between 10% and 70% of an uninterrupted one's duration after it started.
      await new Promise((r) => setTimeout(r, spanMs * (0.1 + 0.6 * Math.random())));
      totals.downMs.push(await restartPostgres());
      totals.restarts++;
      const restartedAt = Date.now();
      let done;
      if (victim) {
        // The process cut off from its database ends with an error; the next `tally sync` resumes at once.
        const cut = await victim.exited;
        if (cut.code === 0) problems.push(`restart ${i} (${provider}): the sync process had finished before the restart`);
        const again = spawnWorker(w.env, ['sync', restarted[provider]], TALLY);
        const { code } = await again.exited;
        if (code !== 0) problems.push(`restart ${i} (${provider}): the next tally sync exited ${code}: ${again.stderr().slice(-400)}`);
        done = (await runsOf(restarted[provider])).find((r) => r.status === 'succeeded' && r.started_at >= before);
      } else {
        // Nobody steps in: the queue's retries and the scheduler bring the sync back.
        done = await until('a sync that succeeds after the restart', async () => (await runsOf(restarted[provider])).find((r) => r.status === 'succeeded' && r.started_at >= before), STALE_RUN_MS + 4 * 60_000);
      }
      if (!done) throw new Error(`restart ${i} (${provider}): no sync succeeded afterwards; ${problems.join('; ')}`);
      totals.resumedS[path].push((Date.now() - restartedAt) / 1000);
      const runs = await runsOf(restarted[provider]);
      const interrupted = runs.find((r) => r.id === run.id)!;
      if (interrupted.status !== 'succeeded') totals.interrupted++;
      totals.stuck += runs.filter((r) => r.status === 'running').length;
      totals.endings.push(`${interrupted.status}${interrupted.error_code ? `: ${interrupted.error_code}` : ''}`);
      const diff = compare(await snapshot(w.ctx, reference[provider]), await snapshot(w.ctx, restarted[provider]));
      totals.rows += diff.rows;
      totals.lost += diff.lost;
      totals.extra += diff.extra;
      totals.changed += diff.changed;
      if (diff.examples.length) problems.push(`restart ${i} (${provider}): ${diff.examples.join('; ')}`);
      if (done.id === run.id) problems.push(`restart ${i} (${provider}): the restart came after the sync had ended`);
    }
    const range = (xs: number[], digits: number) => (xs.length ? `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}` : 'not tried at this size');
    printFigures(
      'database-restart',
      [
        { tried: 'PostgreSQL restarts in the middle of a sync (tally sync processes, then queued syncs, alternately)', figure: totals.restarts, expected: String(RESTARTS), ok: totals.restarts === RESTARTS },
        { tried: 'database down for (ms)', figure: range(totals.downMs, 0) },
        { tried: 'syncs interrupted by the restart', figure: totals.interrupted, expected: String(RESTARTS), ok: totals.interrupted === RESTARTS },
        { tried: 'seconds until the next tally sync had resumed and finished', figure: range(totals.resumedS.process, 1) },
        { tried: 'seconds until a queued sync succeeded, with no one stepping in', figure: range(totals.resumedS.queue, 0), expected: `under ${(STALE_RUN_MS + 4 * 60_000) / 1000}` },
        { tried: 'how the interrupted runs were closed', figure: [...new Set(totals.endings)].join(', '), expected: 'failed (abandoned or the error)' },
        { tried: 'runs left running', figure: totals.stuck, expected: '0', ok: totals.stuck === 0 },
        { tried: 'rows compared with uninterrupted syncs', figure: totals.rows },
        { tried: 'rows lost', figure: totals.lost, expected: '0', ok: totals.lost === 0 },
        { tried: 'rows duplicated or extra', figure: totals.extra, expected: '0', ok: totals.extra === 0 },
        { tried: 'rows with other contents', figure: totals.changed, expected: '0', ok: totals.changed === 0 },
      ],
      [
        `a run cut off from the database cannot record its own end: a new process sweeps it at once (its process is gone), while in a living Tally it waits until its heartbeat is ${STALE_RUN_MS / 1000} s stale, then the scheduler or the queue's retry resumes it`,
        ...problems,
      ],
    );
    expect(problems).toEqual([]);
    const tokens = await storedTokens(w.ctx);
    expect(workerLogs.filter((log) => tokens.some((t) => log.includes(t))), 'a tally sync log holds a token').toEqual([]);
    expect({ interrupted: totals.interrupted, stuck: totals.stuck, lost: totals.lost, extra: totals.extra, changed: totals.changed }).toEqual({ interrupted: RESTARTS, stuck: 0, lost: 0, extra: 0, changed: 0 });
  }, timeoutFor(RESTARTS, STALE_RUN_MS + 4 * 60_000));
});
