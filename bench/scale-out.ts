/**
 * `npm run bench -- scale-out`: the same sync workload (a first sync of many connections, queued at once)
 * worked through by 1, 2 and 4 `tally worker` processes against one external PostgreSQL (Debian's, started
 * for the run as the tests do). Throughput per setup, and how busy the machine's CPUs were meanwhile: on a
 * 2-core machine that, not the workers, is the ceiling. Full size: 16 DigitalOcean and 3 Bitbucket
 * connections; `npm run bench`: 6 and 2. Simulators (rate limits ×1000) run in their own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { startExternalPostgres } from '../scripts/external-postgres.ts';
import { postgresBinDir } from '../scripts/system-packages.ts';
import { startJobs } from '../src/jobs/boss.ts';
import { jobDefinitions } from '../src/jobs/definitions.ts';
import { requestSync } from '../src/sync/schedule.ts';
import { connect } from '../test/support/consent.ts';
import type { Benchmark, BenchResult } from './support/report.ts';
import { anyFreePort, startBenchWorld } from './support/world.ts';

const SETUPS = [1, 2, 4];
const TALLY = path.resolve(import.meta.dirname, '../bin/tally.js');

/** Busy share of all CPUs between two readings of /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** A `tally worker` process, ready once it says it runs. */
async function startWorker(env: Record<string, string>, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...process.execArgv, TALLY, 'worker'], { env: { ...process.env, ...env, TALLY_DATA_DIR: dataDir, TALLY_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Tally worker is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tally worker exited with ${code} before it ran`)));
  });
  child.stdout!.resume(); // keep draining its log
  return child;
}

export const run: Benchmark = async ({ reduced }) => {
  const bin = postgresBinDir();
  if (!bin) {
    return { figures: {}, rows: [{ what: 'scale-out', value: 'not run: Debian postgresql is not installed (apt-get install -y postgresql, or run npm test once)', ok: false }] };
  }
  const [doCount, bbCount] = reduced ? [6, 2] : [16, 3];
  const external = startExternalPostgres(await anyFreePort());
  const admin = new pg.Client({ connectionString: external.url });
  await admin.connect();
  await admin.query('create database tally_scale');
  await admin.end();
  const databaseUrl = external.url.replace(/\/postgres$/, '/tally_scale');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-scale-'));
  const world = await startBenchWorld({ simulators: { preset: 'small', seed: 1, freezeTime: true, rateLimitScale: 1000 }, connect: [], databaseUrl });
  const workers: ChildProcess[] = [];
  try {
    const ctx = world.tally.ctx;
    // Many organizations, each connected to the same simulated accounts: as many independent connections.
    for (let i = 0; i < doCount; i++) {
      const org = i === 0 ? world.orgId : (await world.owner.post('/api/orgs', { name: `Scale ${i}` })).body.memberships.find((m: { organization: { name: string } }) => m.organization.name === `Scale ${i}`).organization.id;
      await connect(world.owner, org, 'digitalocean');
      if (i < bbCount) await connect(world.owner, org, 'bitbucket');
    }
    const connections = (await ctx.db.selectFrom('connections').select('id').execute()).map((c) => c.id);
    // This process only queues; the workers work.
    const queue = await startJobs(ctx, databaseUrl, jobDefinitions, { work: false });
    ctx.queue = queue;
    const rows: BenchResult['rows'] = [];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    for (const n of SETUPS) {
      // The same workload each time: nothing synced yet, budgets untouched, no schedule due in between.
      for (const table of ['sync_records', 'sync_checkpoints', 'activity_events', 'app_accounts', 'sync_quarantine', 'sync_runs'] as const) await ctx.db.deleteFrom(table).execute();
      await ctx.db.deleteFrom('rate_events').execute();
      for (const id of connections) {
        const later = { activity_every_minutes: 10080, billing_every_minutes: 10080, last_activity_at: new Date(), last_billing_at: new Date(), updated_at: new Date() };
        await ctx.db.insertInto('sync_schedules').values({ connection_id: id, ...later }).onConflict((oc) => oc.column('connection_id').doUpdateSet(later)).execute();
      }
      for (let i = 0; i < n; i++) workers.push(await startWorker(world.env, path.join(dir, `worker-${n}-${i}`)));
      const cpuBefore = cpuTimes();
      const started = performance.now();
      const since = new Date();
      for (const id of connections) await requestSync(ctx, { connectionId: id, trigger: 'bench:scale-out' });
      let done = 0;
      while (done < connections.length) {
        await new Promise((r) => setTimeout(r, 250));
        const runs = await ctx.db.selectFrom('sync_runs').select(['status', 'error_message']).where('started_at', '>=', since).where('status', 'in', ['succeeded', 'failed']).execute();
        const failed = runs.filter((r) => r.status === 'failed');
        if (failed.length) throw new Error(`a sync failed with ${n} worker(s): ${failed[0]!.error_message}`);
        done = runs.length;
        if (performance.now() - started > 30 * 60_000) throw new Error(`${n} worker(s) had not finished after 30 minutes (${done}/${connections.length})`);
      }
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = cpuTimes();
      const records = (await sql<{ n: number }>`select count(*)::int as n from sync_records`.execute(ctx.db)).rows[0]!.n;
      const busy = (100 * (cpuAfter.busy - cpuBefore.busy)) / Math.max(1, cpuAfter.total - cpuBefore.total);
      figures[`workers_${n}_records_per_s`] = Math.round(records / seconds);
      figures[`workers_${n}_seconds`] = Number(seconds.toFixed(1));
      figures[`workers_${n}_cpu_busy_pct`] = Math.round(busy);
      rows.push({ what: `${n} tally worker process${n > 1 ? 'es' : ''}: ${connections.length} first syncs, ${records} records`, value: `${seconds.toFixed(1)} s, ${figures[`workers_${n}_records_per_s`]} records/s, CPUs ${Math.round(busy)}% busy` });
      for (const w of workers.splice(0)) {
        w.kill('SIGTERM');
        await new Promise((r) => w.once('exit', r));
      }
    }
    await queue.stop();
    delete ctx.queue;
    const base = figures.workers_1_records_per_s!;
    figures.scale_out_4_vs_1 = Number((figures.workers_4_records_per_s! / base).toFixed(2));
    rows.push({ what: 'throughput with 4 workers ÷ with 1', value: `${figures.scale_out_4_vs_1}×` });
    notes.push(
      `${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end: the workers, Debian's PostgreSQL 15, the simulators and this process share them, so once the CPUs are near 100% busy another worker adds contention, not throughput.`,
      'Each worker runs 2 syncs at a time (sync.run localConcurrency) and the engine reads up to 4 partitions of a stream side by side; one sync per connection at a time across all workers.',
    );
    return { figures, rows, notes };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await world.close();
    external.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
