/**
 * `npm run bench -- sync`: requests spent against the minimum, records/s from simulator to Postgres, peak
 * RSS. Large preset (2,000 members, 1,000 repositories, a year of history; ~330 droplets); `npm run bench`
 * runs it on the small preset. The simulators' rate limits and Tally's request budgets are both raised
 * 1000-fold: this measures the engine and the database, not the providers' hourly allowance (which the
 * budget tests cover).
 */
import { sql } from 'kysely';
import type { ProviderSlug } from '../src/api/contracts/connections.ts';
import type { AppContext } from '../src/context.ts';
import { runSync, type SyncResult } from '../src/sync/engine.ts';
import { streamsFor } from '../src/sync/streams.ts';
import { streamGroup, type StreamDefinition } from '../src/sync/types.ts';
import { peakRssMb, type Benchmark, type BenchResult } from './support/report.ts';
import { startBenchWorld } from './support/world.ts';

const SCALE = 1000;

function pageSizeOf(stream: StreamDefinition): number {
  return stream.pagination.kind === 'single' ? Number.POSITIVE_INFINITY : stream.pagination.pageSize;
}

/**
 * The fewest requests that read what a run read: per stream and partition it visited, the pages needed at
 * the largest page size for the records it had to bring (at least one request: an empty list is still asked).
 * `changedOnly` counts only records that are new or changed since `snapshot` (an incremental run).
 */
async function minimumRequests(ctx: AppContext, connectionId: string, streams: StreamDefinition[], since: Date, snapshot?: string): Promise<number> {
  const visited = await ctx.db.selectFrom('sync_checkpoints').select(['stream', 'partition']).where('connection_id', '=', connectionId).where('updated_at', '>=', since).execute();
  const counts = snapshot
    ? await sql<{ stream: string; parent: string; n: number }>`
        select r.stream, coalesce(r.parent_id, '') as parent, count(*)::int as n from sync_records r
        left join ${sql.table(snapshot)} s on s.stream = r.stream and s.external_id = r.external_id
        where r.connection_id = ${connectionId} and (s.hash is null or s.hash <> r.hash) group by 1, 2`.execute(ctx.db)
    : await sql<{ stream: string; parent: string; n: number }>`
        select stream, coalesce(parent_id, '') as parent, count(*)::int as n from sync_records
        where connection_id = ${connectionId} group by 1, 2`.execute(ctx.db);
  const n = new Map(counts.rows.map((r) => [`${r.stream}\u0000${r.parent}`, r.n]));
  let minimum = 0;
  for (const v of visited) {
    const stream = streams.find((s) => s.name === v.stream);
    if (!stream) continue;
    minimum += Math.max(1, Math.ceil((n.get(`${v.stream}\u0000${v.partition}`) ?? 0) / pageSizeOf(stream)));
  }
  return minimum;
}

async function timed(ctx: AppContext, connectionId: string, options: Parameters<typeof runSync>[2]): Promise<{ result: SyncResult; seconds: number; started: Date }> {
  const started = new Date();
  const result = await runSync(ctx, connectionId, { budgetScale: SCALE, ...options });
  if (result.status !== 'succeeded') throw new Error(`the ${options.trigger} sync ${result.status}: ${result.error?.message}`);
  return { result, seconds: (Date.now() - started.getTime()) / 1000, started };
}

export const run: Benchmark = async ({ reduced }) => {
  const preset = reduced ? 'small' : 'large';
  const world = await startBenchWorld({ simulators: { preset, seed: 1, freezeTime: true, rateLimitScale: SCALE } });
  try {
    const ctx = world.tally.ctx;
    const rows: BenchResult['rows'] = [];
    const figures: Record<string, number> = {};
    let records = 0;
    let seconds = 0;
    const ratios: number[] = [];
    for (const provider of ['digitalocean', 'bitbucket'] as ProviderSlug[]) {
      const id = await world.connectionId(provider);
      const streams = streamsFor(provider, ctx.config);
      const full = await timed(ctx, id, { trigger: 'bench:full' });
      const minimum = await minimumRequests(ctx, id, streams, full.started);
      const ratio = full.result.counters.requests / minimum;
      ratios.push(ratio);
      records += full.result.counters.recordsAdded;
      seconds += full.seconds;
      figures[`${provider}_full_requests`] = full.result.counters.requests;
      figures[`${provider}_full_minimum`] = minimum;
      rows.push({ what: `${provider}: full sync requests / minimum`, value: `${full.result.counters.requests} / ${minimum} = ${ratio.toFixed(3)}×`, target: '≤ 1.05×', ok: ratio <= 1.05 });
      rows.push({ what: `${provider}: full sync`, value: `${full.result.counters.recordsAdded} records in ${full.seconds.toFixed(1)} s` });
    }
    figures.full_requests_ratio = Math.max(...ratios);
    figures.records_per_s = Math.round(records / seconds);
    figures.records = records;
    figures.peak_rss_mb = peakRssMb();
    rows.push({ what: 'records/s, simulator → Postgres (both full syncs)', value: `${figures.records_per_s}`, target: '≥ 30,000', ok: figures.records_per_s >= 30_000 });
    rows.push({ what: `peak RSS (${records} records)`, value: `${figures.peak_rss_mb} MB`, target: '≤ 300 MB for 1M records', ok: figures.peak_rss_mb <= 300 });

    // The hourly (activity) sync of the unchanged workspace: the workspace and repository lists only.
    const bitbucket = await world.connectionId('bitbucket');
    const streams = streamsFor('bitbucket', ctx.config);
    const activity = streams.filter((s) => streamGroup(s) === 'activity').map((s) => s.name);
    const repositories = (await sql<{ n: number }>`select count(*)::int as n from sync_records where connection_id = ${bitbucket} and stream = 'repositories' and deleted_at is null`.execute(ctx.db)).rows[0]!.n;
    const repoListPages = Math.ceil(repositories / pageSizeOf(streams.find((s) => s.name === 'repositories')!));
    const unchanged = await timed(ctx, bitbucket, { trigger: 'bench:unchanged', streams: activity });
    figures.unchanged_requests_vs_repository_pages = unchanged.result.counters.requests / repoListPages;
    rows.push({
      what: `unchanged ${repositories}-repository workspace: requests / repository-list pages`,
      value: `${unchanged.result.counters.requests} / ${repoListPages} = ${figures.unchanged_requests_vs_repository_pages.toFixed(2)}×`,
      target: '≤ 1.1×',
      ok: figures.unchanged_requests_vs_repository_pages <= 1.1,
    });

    // One simulated day later: what changed, read with as few requests as the lists allow.
    await sql`create table bench_snapshot as select stream, external_id, hash from sync_records where connection_id = ${bitbucket}`.execute(ctx.db);
    await world.control('/time/advance', { days: 1 });
    const incremental = await timed(ctx, bitbucket, { trigger: 'bench:incremental', streams: activity });
    const minimum = await minimumRequests(ctx, bitbucket, streams, incremental.started, 'bench_snapshot');
    figures.incremental_requests_ratio = incremental.result.counters.requests / minimum;
    rows.push({
      what: 'after one simulated day: incremental requests / minimum',
      value: `${incremental.result.counters.requests} / ${minimum} = ${figures.incremental_requests_ratio.toFixed(3)}×`,
      target: '≤ 1.1×',
      ok: figures.incremental_requests_ratio <= 1.1,
    });
    rows.push({ what: 'after one simulated day: records added / updated', value: `${incremental.result.counters.recordsAdded} / ${incremental.result.counters.recordsUpdated} in ${incremental.seconds.toFixed(1)} s` });
    return {
      figures,
      rows,
      notes: [
        `${preset} preset; simulators in their own process; rate limits and Tally's budgets ×${SCALE} (throughput, not allowance).`,
        'minimum = per stream and partition read, ceil(records ÷ largest page size), at least 1; for the incremental run only new or changed records count.',
      ],
    };
  } finally {
    await world.close();
  }
};
