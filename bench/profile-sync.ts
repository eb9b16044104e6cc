/**
 * Not a benchmark (bench/run.ts does not list it): a profiler for the sync engine.
 * `node bench/profile-sync.ts [seconds] [bitbucket|digitalocean]` syncs the large preset for that long, then
 * prints records/s, this process's memory every 5 s, the CPU seconds of this process, the simulators and
 * PostgreSQL, and what the PostgreSQL backends were doing (pg_stat_activity sampled every 10 ms): the
 * statements they ran or waited in, most frequent first.
 */
import { execSync } from 'node:child_process';
import { sql } from 'kysely';
import pg from 'pg';
import { runSync } from '../src/sync/engine.ts';
import { startBenchWorld } from './support/world.ts';

const seconds = Number(process.argv[2] ?? 40);
const provider = (process.argv[3] ?? 'bitbucket') as 'bitbucket' | 'digitalocean';
const mb = (bytes: number) => Math.round(bytes / 1e6);

/** CPU seconds so far of this process, its simulator process and the benchmark's PostgreSQL (the postmaster and its children). */
function cpuSeconds(): Record<string, number> {
  const rows = execSync('ps -eo pid,ppid,cputimes,args')
    .toString()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, pid, ppid, cpu, args]) => ({ pid: Number(pid), ppid: Number(ppid), cpu: Number(cpu), args: args! }));
  const postmaster = rows.find((r) => r.args.includes('postgres -D /tmp/tally-bench'))?.pid;
  const out: Record<string, number> = { tally: 0, simulators: 0, postgres: 0 };
  for (const r of rows) {
    if (r.pid === process.pid) out.tally! += r.cpu;
    else if (r.ppid === process.pid && r.args.includes('simulators-process')) out.simulators! += r.cpu;
    else if (postmaster !== undefined && (r.pid === postmaster || r.ppid === postmaster)) out.postgres! += r.cpu;
  }
  return out;
}

const world = await startBenchWorld({ simulators: { preset: 'large', seed: 1, freezeTime: true, rateLimitScale: 1000 } });
const ctx = world.tally.ctx;
const cpuBefore = cpuSeconds();

const sampler = new pg.Client({ connectionString: world.databaseUrl });
await sampler.connect();
const seen = new Map<string, number>();
let sampling = true;
const sampling$ = (async () => {
  while (sampling) {
    const r = await sampler.query(`
      select state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q
      from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`);
    for (const row of r.rows) {
      const key = `${row.state} | ${row.wait_event_type ?? ''}:${row.wait_event ?? ''} | ${row.q}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
})();

const started = Date.now();
const memory = setInterval(() => {
  const m = process.memoryUsage();
  console.log(`${Math.round((Date.now() - started) / 1000)} s: rss ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`);
}, 5000);
const stop = new AbortController();
setTimeout(() => stop.abort(), seconds * 1000);
const result = await runSync(ctx, await world.connectionId(provider), { trigger: 'profile', budgetScale: 1000, signal: stop.signal });
const elapsed = (Date.now() - started) / 1000;
clearInterval(memory);
sampling = false;
await sampling$;
await sampler.end();

const sizes = await sql<{ stream: string; n: number; avg_bytes: number }>`
  select stream, count(*)::int as n, avg(pg_column_size(data))::int as avg_bytes from sync_records group by 1 order by 2 desc`.execute(ctx.db);
const records = sizes.rows.reduce((n, r) => n + r.n, 0);
console.log(`${records} records in ${elapsed.toFixed(1)} s = ${Math.round(records / elapsed)} records/s (run ${result.status}: ${result.counters.pages} pages, ${result.counters.requests} requests)`);
console.table(sizes.rows);
console.log('what PostgreSQL did (samples, state | wait | statement):');
for (const [key, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${String(n).padStart(6)} ${key}`);
const cpuAfter = cpuSeconds();
console.log('CPU seconds:', Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, cpuAfter[k]! - (cpuBefore[k] ?? 0)])));
await world.close();
process.exit(0);
