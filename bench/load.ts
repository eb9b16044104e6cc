/**
 * `npm run bench -- load`: 200 concurrent clients for 60 s against the main dashboard API endpoints (Overview,
 * apps and one app with its members, people and one person, features, insights, spend, resources, renewals),
 * with autocannon in its own process, on the analytics benchmark's organization (10,000 people, 50 apps,
 * ~10M activity facts, bulk-loaded by bench/analytics-data.ts): once with steady data, once while the
 * organization's data changes every `--write-every=<s>` seconds (default 18). `npm run bench` runs a tenth of
 * the data and 15 s of each load (data changing every 5 s). `--cpu-prof` writes a CPU profile of the Tally
 * process during the steady phase to bench/results/load-steady.cpuprofile (open it in Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import type { Result } from 'autocannon';
import { sql } from 'kysely';
import { pino } from 'pino';
import { addDays, utcDay } from '../src/analytics/dates.ts';
import { analyticsCache, bumpAnalyticsVersion } from '../src/analytics/cache.ts';
import { recomputeAnalytics } from '../src/analytics/index.ts';
import { loadConfig } from '../src/config.ts';
import type { Jobs } from '../src/jobs/boss.ts';
import { createLogger } from '../src/log.ts';
import { startTally } from '../src/main.ts';
import { startEmbeddedPostgres } from '../src/store/embedded.ts';
import { ApiClient } from '../test/support/api.ts';
import { loadSyntheticOrg, type Size } from './analytics-data.ts';
import { coresUsed, sampleCpu } from './support/cpu-usage.ts';
import { peakRssMb, type Benchmark } from './support/report.ts';
import { anyFreePort } from './support/world.ts';

const FULL: Size = { people: 10_000, peopleApps: 40, cloudApps: 10, droplets: 300 };
const REDUCED: Size = { people: 1_000, peopleApps: 8, cloudApps: 2, droplets: 60 };
const CONNECTIONS = 200;
const TARGET_P99_MS = 200;

type ClientResult = Result & { clientCpuSeconds?: number };

function loadClient(options: { url: string; connections: number; duration: number; paths: string[]; headers: Record<string, string> }): Promise<ClientResult> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'support', 'load-client.ts'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`the load client exited with ${code}`)))));
}

export const run: Benchmark = async ({ reduced, args }) => {
  const size = reduced ? REDUCED : FULL;
  const duration = reduced ? 15 : 60;
  // In the second phase a sync's recompute ends somewhere in the organization this often (50 apps on the
  // fastest schedule, every 15 minutes: every 18 s); each moves the data version.
  const writeEvery = Number(args.find((a) => a.startsWith('--write-every='))?.split('=')[1] ?? (reduced ? 5 : 18));
  const profile = args.includes('--cpu-prof');
  const loadAverage = os.loadavg()[0]!.toFixed(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-load-'));
  fs.chmodSync(dir, 0o755);
  const log = createLogger('warn');
  // Tally logs at its default level (info: a line per request), to a file in the run's directory as a
  // deployment writes its log somewhere; `--log=warn` measures the API without request logging.
  const logLevel = args.find((a) => a.startsWith('--log='))?.split('=')[1] ?? 'info';
  const logFile = pino.destination({ dest: path.join(dir, 'tally.log'), sync: false });
  // Warnings and errors still show on the terminal.
  const tallyLog = createLogger(logLevel, pino.multistream([{ level: logLevel as pino.Level, stream: logFile }, { level: 'warn', stream: process.stderr }]));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await anyFreePort(), log, database: 'tally' });
  const port = await anyFreePort();
  const url = `http://127.0.0.1:${port}`;
  const tally = await startTally(
    loadConfig({ DATABASE_URL: pg.connectionString, TALLY_PORT: String(port), TALLY_PUBLIC_URL: url, TALLY_DATA_DIR: path.join(dir, 'tally'), TALLY_SECRET_KEY: randomBytes(32).toString('hex'), TALLY_SIMULATORS: 'off', TALLY_LOG_LEVEL: logLevel }),
    'serve',
    { log: tallyLog },
  );
  try {
    await (tally.ctx.queue as Jobs).stop();
    delete tally.ctx.queue;
    const owner = new ApiClient(url);
    const setup = await owner.post('/api/setup', { organizationName: 'Bench Inc', name: 'Bench Owner', email: 'owner@bench.example', password: 'correct horse battery staple' });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
    const orgId = setup.body.memberships[0].organization.id as string;
    const today = utcDay();
    const apps = await loadSyntheticOrg(tally.ctx.db, orgId, size, today);
    const all = [...apps.bitbucket, ...apps.digitalocean];
    for (const id of all) await recomputeAnalytics(tally.ctx, id, { full: true, now: new Date(`${addDays(today, -1)}T23:00:00Z`) });
    await sql`vacuum analyze`.execute(tally.ctx.db);
    const facts = (await sql<{ n: number }>`select count(*)::int as n from activity_daily`.execute(tally.ctx.db)).rows[0]!.n;
    const people = (await tally.ctx.db.selectFrom('people').select('id').where('organization_id', '=', orgId).limit(3).execute()).map((p) => p.id);

    const api = `/api/orgs/${orgId}/analytics`;
    const paths = [
      `${api}/overview`,
      `${api}/apps`,
      `${api}/apps/${apps.bitbucket[0]}`,
      `${api}/apps/${apps.bitbucket[1] ?? apps.bitbucket[0]}/members`,
      `${api}/people`,
      `${api}/people?q=person%2042&status=active`,
      `${api}/people/${people[0]}`,
      `${api}/features`,
      `${api}/insights`,
      `${api}/spend`,
      `${api}/resources`,
      `${api}/renewals`,
    ];
    for (const p of paths) {
      const res = await owner.get(p);
      if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const cache = analyticsCache(tally.ctx.db);
    // Two phases on the same data: steady (every answer served as kept after the first), then with the data
    // changing as syncs finish (each change makes every answer computed afresh once, under load).
    const pgDataDir = path.join(dir, 'pg', 'postgres');
    const measure = async (writeEvery: number, profileAs?: string) => {
      const before = { ...cache.stats, reads: cache.versions.reads };
      let writes = 0;
      const session = profileAs ? new Session() : undefined;
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
      }
      const cpuBefore = sampleCpu(pgDataDir);
      const writer = writeEvery > 0 ? setInterval(() => void bumpAnalyticsVersion(tally.ctx, [orgId]).then(() => writes++), writeEvery * 1000) : undefined;
      const result = await loadClient({ url, connections: CONNECTIONS, duration, paths, headers: { cookie } }).finally(() => clearInterval(writer));
      const cpu = coresUsed(cpuBefore, sampleCpu(pgDataDir), result.clientCpuSeconds);
      if (session) {
        const { profile: taken } = await session.post('Profiler.stop');
        session.disconnect();
        fs.mkdirSync('bench/results', { recursive: true });
        fs.writeFileSync(path.join('bench/results', `load-${profileAs}.cpuprofile`), JSON.stringify(taken));
      }
      // Requests the clients left in flight when their time was up are still being answered: let them
      // finish before the next phase or before Tally stops (they would fail on a closed pool, noisily).
      await new Promise((r) => setTimeout(r, 2000 + 2 * result.latency.max));
      const hits = cache.stats.hits - before.hits;
      const misses = cache.stats.misses - before.misses;
      // autocannon counts timeouts among its errors.
      const reads = cache.versions.reads - before.reads;
      return { result, writes, cpu, errors: result.errors + result.non2xx, hitRatio: Number((hits / Math.max(1, hits + misses)).toFixed(4)), hits, misses, reads };
    };
    // JIT and connection warm-up, not measured.
    await loadClient({ url, connections: CONNECTIONS, duration: 5, paths, headers: { cookie } });
    const steady = await measure(0, profile ? 'steady' : undefined);
    const changing = await measure(writeEvery, profile ? 'changing' : undefined);
    const figures = {
      load_p99_ms: steady.result.latency.p99,
      load_p50_ms: steady.result.latency.p50,
      load_max_ms: steady.result.latency.max,
      load_requests_per_s: Math.round(steady.result.requests.average),
      load_requests: steady.result.requests.total,
      load_errors: steady.errors,
      load_cache_hit_ratio: steady.hitRatio,
      load_changing_p99_ms: changing.result.latency.p99,
      load_changing_p50_ms: changing.result.latency.p50,
      load_changing_requests_per_s: Math.round(changing.result.requests.average),
      load_changing_errors: changing.errors,
      load_changing_cache_hit_ratio: changing.hitRatio,
      load_data_changes: changing.writes,
      // Cores busy during the steady phase, by whom (missing where /proc cannot tell).
      ...Object.fromEntries(Object.entries({ load_server_cores: steady.cpu.server, load_postgres_cores: steady.cpu.postgres, load_client_cores: steady.cpu.client }).filter(([, v]) => v !== undefined)),
      peak_rss_mb: peakRssMb(),
    };
    const perAnswer = (seconds: number | undefined, m: typeof steady) => (seconds === undefined ? '?' : Math.round((seconds * 1e6) / Math.max(1, m.result.requests.total)));
    const phaseRows = (name: string, m: typeof steady) => [
      { what: `${name}: ${CONNECTIONS} clients for ${duration} s over ${paths.length} endpoints`, value: `${m.result.requests.total} requests, ${Math.round(m.result.requests.average)}/s; ${m.hits} from the cache, ${m.misses} computed or waiting on a computation; ${m.reads} data-version reads` },
      { what: `${name}: latency p50 / p99 / max`, value: `${m.result.latency.p50} / ${m.result.latency.p99} / ${m.result.latency.max} ms`, target: `p99 ≤ ${TARGET_P99_MS} ms`, ok: m.result.latency.p99 <= TARGET_P99_MS },
      { what: `${name}: errors (of which timeouts) and non-2xx answers`, value: `${m.result.errors} (${m.result.timeouts}) / ${m.result.non2xx}`, target: '0', ok: m.errors === 0 },
      { what: `${name}: cores used by Tally / PostgreSQL / load client / rest of machine`, value: `${m.cpu.server} / ${m.cpu.postgres ?? '?'} / ${m.cpu.client ?? '?'} / ${m.cpu.rest ?? '?'} of ${m.cpu.cores}` },
      // CPU per answer does not depend on what else the shared machine runs, unlike the latency.
      { what: `${name}: CPU per answer, Tally / PostgreSQL`, value: `${perAnswer(m.cpu.seconds.server, m)} / ${perAnswer(m.cpu.seconds.postgres, m)} µs` },
    ];
    return {
      figures,
      rows: [
        { what: 'data', value: `${size.people} people, ${all.length} apps, ${facts.toLocaleString('en')} activity facts` },
        ...phaseRows('steady data', steady),
        ...phaseRows(writeEvery > 0 ? `data changing every ${writeEvery} s (${changing.writes} changes)` : 'second run, no changes (--write-every=0)', changing),
        { what: 'peak RSS of the Tally process', value: `${figures.peak_rss_mb} MB` },
      ],
      notes: [
        `autocannon ${CONNECTIONS} connections in a process of its own, every connection cycling through the endpoints with the owner's session; load average ${loadAverage} on ${os.cpus().length} cores when it started, ${os.loadavg()[0]!.toFixed(1)} at the end (the machine is shared).`,
        'The server, its PostgreSQL and the load client share those cores: on 2 cores the figures are a floor, not a capacity.',
        `latency is mostly queueing: ${CONNECTIONS} clients ÷ ${figures.load_requests_per_s} answers/s ≈ ${Math.round((1000 * CONNECTIONS) / Math.max(1, figures.load_requests_per_s))} ms per request. A cached answer costs no query for its session and membership (kept per process, access-cache.ts) and shares a data-version read with the requests waiting at that moment; a data change costs one computation per distinct request (concurrent identical requests share it).`,
        `Tally logged at ${logLevel}${logLevel === 'info' ? ' (its default: one line per request)' : ''}.`,
      ],
    };
  } finally {
    await tally.stop();
    await pg.stop();
    logFile.flushSync();
    logFile.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
