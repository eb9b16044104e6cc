/**
 * `npm run bench -- first-numbers`: how long a newcomer waits.
 *   - `npm start` to healthy (/readyz answers 200: database up and migrated), from a fresh data directory
 *     (the embedded PostgreSQL is created) and again on the same directory;
 *   - from consent at the simulator to the first figures on Overview (people and seats in the Overview API),
 *     with Tally's own job queue doing the work, as after a real Connect.
 * Full size connects the large Bitbucket workspace (2,000 members, more than the target's 1,000);
 * `npm run bench` connects the small one (25 members).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dashboardBuildStale } from '../scripts/dashboard-build.ts';
import { connect } from '../test/support/consent.ts';
import type { Benchmark, BenchResult } from './support/report.ts';
import { anyFreePort, startBenchWorld } from './support/world.ts';

const TARGET_FIRST_NUMBERS_S = 10;
const TARGET_START_S = 5;

/**
 * `npm start` builds the dashboard when web/src is newer than its build (scripts/start.ts): after an install
 * the build is there, so it is made here first, untimed. Returns a note when that was needed.
 */
function buildDashboardFirst(): string | undefined {
  if (!dashboardBuildStale()) return undefined;
  const res = spawnSync('npm', ['run', '-s', 'build:web'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('`npm run build:web` failed: fix the dashboard build before timing `npm start`.');
  return 'The dashboard build was older than web/src, so it was rebuilt before timing (npm start would have rebuilt it).';
}

/** Runs `npm start` on a data directory until /readyz answers 200; returns the seconds that took. */
async function startToHealthy(dataDir: string): Promise<number> {
  const port = await anyFreePort();
  const env = { ...process.env, TALLY_DATA_DIR: dataDir, TALLY_PORT: String(port), TALLY_PUBLIC_URL: `http://127.0.0.1:${port}`, TALLY_EMBEDDED_PG_PORT: String(await anyFreePort()), TALLY_SIMULATORS_PORT: String(await anyFreePort()), TALLY_LOG_LEVEL: 'warn' };
  const started = performance.now();
  // Its own process group, so that Ctrl-C reaches npm, Tally and its PostgreSQL as in a terminal.
  const child = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let healthy: number | undefined;
  while (healthy === undefined) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode} before it was healthy`);
    if (performance.now() - started > 120_000) break;
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) healthy = (performance.now() - started) / 1000;
    else await new Promise((r) => setTimeout(r, 25));
  }
  process.kill(-child.pid!, 'SIGINT');
  await exited;
  if (healthy === undefined) throw new Error('npm start was not healthy within 2 minutes');
  return healthy;
}

export const run: Benchmark = async ({ reduced }) => {
  const load = os.loadavg()[0]!.toFixed(1);
  const rows: BenchResult['rows'] = [];
  const figures: Record<string, number> = {};

  const built = buildDashboardFirst();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-start-'));
  fs.chmodSync(dataDir, 0o755);
  try {
    figures.start_healthy_s = Number((await startToHealthy(dataDir)).toFixed(2));
    figures.start_healthy_again_s = Number((await startToHealthy(dataDir)).toFixed(2));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  rows.push({ what: '`npm start` to healthy, fresh data directory (creates the embedded PostgreSQL)', value: `${figures.start_healthy_s} s`, target: `≤ ${TARGET_START_S} s`, ok: figures.start_healthy_s <= TARGET_START_S });
  rows.push({ what: '`npm start` to healthy, existing data directory', value: `${figures.start_healthy_again_s} s`, target: `≤ ${TARGET_START_S} s`, ok: figures.start_healthy_again_s <= TARGET_START_S });

  const preset = reduced ? 'small' : 'large';
  const world = await startBenchWorld({ simulators: { preset, seed: 1, freezeTime: true }, connect: [], jobs: true });
  try {
    const db = world.tally.ctx.db;
    const started = performance.now();
    const consentedAt = new Date();
    const back = await connect(world.owner, world.orgId, 'bitbucket');
    if (back.searchParams.get('result') !== 'connected') throw new Error(`connecting came back ${back.searchParams.get('result')}: ${back.searchParams.get('message')}`);
    const connectedS = (performance.now() - started) / 1000;
    const waitMinutes = reduced ? 5 : 20;
    const deadline = started + waitMinutes * 60_000;
    let overview: { people: number; seats: number; active: number } | undefined;
    while (!overview && performance.now() < deadline) {
      const res = await world.owner.get(`/api/orgs/${world.orgId}/analytics/overview`);
      if (res.status === 200 && res.body.people > 0 && res.body.seats > 0) overview = res.body;
      else await new Promise((r) => setTimeout(r, 250));
    }
    const elapsedS = (performance.now() - started) / 1000;
    // Without figures by the deadline the wait is reported as a lower bound, with how far the first sync got.
    figures.first_numbers_s = Number(elapsedS.toFixed(1));
    figures.first_numbers_timed_out = overview ? 0 : 1;
    const run = await db.selectFrom('sync_runs').select(['started_at', 'finished_at', 'status', 'trigger', 'error_code', 'records_added', 'requests', 'rate_limit_waits', 'rate_limit_wait_ms']).where('started_at', '>=', consentedAt).orderBy('started_at').executeTakeFirst();
    figures.first_sync_wait_s = run ? Number(((run.started_at.getTime() - consentedAt.getTime()) / 1000).toFixed(1)) : figures.first_numbers_s;
    figures.first_sync_s = run ? Number((((run.finished_at ?? new Date()).getTime() - run.started_at.getTime()) / 1000).toFixed(1)) : 0;
    rows.push({
      what: `consent at the simulator to the first figures on Overview (${preset} workspace${overview ? `, ${overview.people} people, ${overview.seats} seats, ${overview.active} active` : ''})`,
      value: overview ? `${figures.first_numbers_s} s` : `> ${figures.first_numbers_s} s (none yet)`,
      target: `≤ ${TARGET_FIRST_NUMBERS_S} s (1,000 members)`,
      ok: overview !== undefined && figures.first_numbers_s <= TARGET_FIRST_NUMBERS_S,
    });
    rows.push({ what: '  of which: back at Tally, connected', value: `${connectedS.toFixed(1)} s` });
    rows.push({ what: `  of which: from consent to the start of the first sync${run ? ` (queued by ${run.trigger})` : ''}`, value: `${figures.first_sync_wait_s} s` });
    rows.push({ what: '  of which: the first sync until the figures showed (member lists read, analytics recomputed)', value: `${(figures.first_numbers_s - figures.first_sync_wait_s).toFixed(1)} s` });
    rows.push({
      what: `  the first sync${run ? ` (${run.status}${run.error_code ? `: ${run.error_code}` : ''}; ${run.requests} requests, ${run.records_added} records as last recorded; ${run.rate_limit_waits} waits for request budget, ${Math.round(Number(run.rate_limit_wait_ms) / 1000)} s)` : ' (not started)'}`,
      value: run?.finished_at ? `${figures.first_sync_s} s` : `${figures.first_sync_s} s so far`,
    });
    return {
      figures,
      rows,
      notes: [
        `load average when it started: ${load} on ${os.cpus().length} cores (the machine is shared).`,
        'Healthy = /readyz answers 200 (database reachable, schema current); the dashboard build is already there, as after `npm install` and a first start.',
        ...(built ? [built] : []),
        'Connect queues the first sync at once (trigger connect); it reads the member lists first, and the analytics of the connection are recomputed as soon as they are in, so seats and people show while the history is still being read (then once more when the sync ends).',
        'First figures = the Overview API answers with people > 0 and seats > 0, polled every 0.25 s through the API as the dashboard does.',
        'The providers’ rate limits and Tally’s request budgets are as in production here (Bitbucket: 1,000 requests an hour per OAuth consumer, Tally keeps to 950), since this is the wait a newcomer has.',
      ],
    };
  } finally {
    await world.close();
  }
};
