/**
 * `npm run bench -- ingest`: how fast records travel from the providers to Postgres through the real sync
 * engine (HTTP, JSON, validation, upserts, activity facts, checkpoints), against the floor of the same
 * database: the very rows the engine wrote, loaded again with COPY into empty twins of its tables (same
 * columns, keys and indexes) in the same run. Full size: the large preset of both providers (~1M records);
 * `npm run bench` runs the small preset. Rate limits and request budgets are raised 1000-fold, as in the
 * sync benchmark: this measures throughput, not the providers' hourly allowance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ProviderSlug } from '../src/api/contracts/connections.ts';
import { runSync } from '../src/sync/engine.ts';
import { postgresCpuSeconds, processCpuSeconds } from './support/cpu-usage.ts';
import { peakRssMb, type Benchmark } from './support/report.ts';
import { startBenchWorld } from './support/world.ts';

const SCALE = 1000;
/** What the engine writes for a record: the record, its activity facts and the app accounts it names. */
const TABLES = ['sync_records', 'activity_events', 'app_accounts'] as const;

/** Loads the rows of TABLES again with COPY into empty twins; returns the seconds the loads took. */
async function copyBaseline(databaseUrl: string): Promise<{ seconds: number; rows: Record<string, number> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-copy-'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows: Record<string, number> = {};
    for (const table of TABLES) {
      await client.query(`create table copy_${table} (like ${table} including all)`);
      await pipeline(client.query(copyTo(`copy ${table} to stdout`)), fs.createWriteStream(path.join(dir, table)));
      rows[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
    }
    const started = process.hrtime.bigint();
    await client.query('begin');
    for (const table of TABLES) await pipeline(fs.createReadStream(path.join(dir, table)), client.query(copyFrom(`copy copy_${table} from stdin`)));
    await client.query('commit');
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows };
  } finally {
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const run: Benchmark = async ({ reduced }) => {
  const preset = reduced ? 'small' : 'large';
  const load = os.loadavg()[0]!.toFixed(1);
  const world = await startBenchWorld({ simulators: { preset, seed: 1, freezeTime: true, rateLimitScale: SCALE } });
  try {
    const ctx = world.tally.ctx;
    // CPU seconds so far of Tally (this process), the simulators and PostgreSQL: what each record costs each.
    const cpu = () => {
      const u = process.cpuUsage();
      return { tally: (u.user + u.system) / 1e6, simulators: processCpuSeconds(world.simulatorPid), postgres: world.pgDataDir ? (postgresCpuSeconds(world.pgDataDir) ?? NaN) : NaN };
    };
    const cpuBefore = cpu();
    const started = process.hrtime.bigint();
    for (const provider of ['digitalocean', 'bitbucket'] as ProviderSlug[]) {
      const result = await runSync(ctx, await world.connectionId(provider), { trigger: 'bench:ingest', budgetScale: SCALE });
      if (result.status !== 'succeeded') throw new Error(`the ${provider} sync ${result.status}: ${result.error?.message}`);
    }
    const syncSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuAfterSync = cpu();
    const rssMb = peakRssMb();
    const copy = await copyBaseline(world.databaseUrl);
    const cpuAfterCopy = cpu();
    const records = copy.rows.sync_records!;
    const perRecord = (seconds: number) => Math.round((seconds * 1e6) / records);
    const us = {
      tally: perRecord(cpuAfterSync.tally - cpuBefore.tally),
      simulators: perRecord(cpuAfterSync.simulators - cpuBefore.simulators),
      postgres: perRecord(cpuAfterSync.postgres - cpuBefore.postgres),
      copy: perRecord(cpuAfterCopy.postgres - cpuAfterSync.postgres),
    };
    const cores = os.cpus().length;
    // If the cores did nothing else and were never idle: the most records/s the sync's CPU per record allows.
    const cpuBound = Math.round((cores * 1e6) / (us.tally + us.simulators + us.postgres));
    const figures = {
      records,
      records_per_s: Math.round(records / syncSeconds),
      copy_records_per_s: Math.round(records / copy.seconds),
      ingest_vs_copy_ratio: Number((copy.seconds / syncSeconds).toFixed(3)),
      peak_rss_mb: rssMb,
      tally_cpu_us_per_record: us.tally,
      simulators_cpu_us_per_record: us.simulators,
      postgres_cpu_us_per_record: us.postgres,
      copy_postgres_cpu_us_per_record: us.copy,
      cpu_bound_records_per_s: cpuBound,
    };
    return {
      figures,
      rows: [
        { what: `sync engine: ${records} records (+ ${copy.rows.activity_events} activity facts, ${copy.rows.app_accounts} app accounts), simulators → Postgres`, value: `${syncSeconds.toFixed(1)} s, ${figures.records_per_s} records/s` },
        { what: 'the same rows loaded with COPY into empty twins of the tables', value: `${copy.seconds.toFixed(1)} s, ${figures.copy_records_per_s} records/s` },
        { what: 'ingest ÷ COPY', value: figures.ingest_vs_copy_ratio.toFixed(3), target: '≥ 0.5', ok: figures.ingest_vs_copy_ratio >= 0.5 },
        {
          what: `CPU per record during the sync: Tally ${us.tally} µs, simulators ${us.simulators} µs, PostgreSQL ${us.postgres} µs; during COPY: PostgreSQL ${us.copy} µs`,
          value: `${cores} cores allow at most ${cpuBound} records/s`,
        },
        { what: `peak RSS of the Tally process (${records} records)`, value: `${rssMb} MB`, target: '≤ 300 MB for 1M records', ok: rssMb <= 300 },
      ],
      notes: [
        `${preset} preset; simulators in their own process (their CPU is not Tally's, but they share the ${os.cpus().length} cores, load average ${load} at the start); rate limits and budgets ×${SCALE}.`,
        'COPY loads into tables with the same primary keys and indexes, in one transaction; the engine also fetches over HTTP, parses, validates, derives activity facts and checkpoints every page.',
      ],
    };
  } finally {
    await world.close();
  }
};
