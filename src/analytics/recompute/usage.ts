import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays } from '../dates.ts';

/**
 * Droplet monitoring, one typed row per metric record (droplet and day), kept next to the synced records:
 * the usage windows are recomputed every day, and reading every day's figures out of the records' JSON
 * again was most of a cloud connection's recompute. A record is read out only when it is new or its
 * content hash changed since it was copied; days that slid out of the 30-day window are dropped.
 */
/** The longest usage window, in whole days before today. */
const WINDOW_DAYS = 30;

export type WindowUsage = { sampledDays: number; cpuAvg: number | null; cpuP95: number | null; bandwidthBytes: number | null; memoryUsedAvg: number | null };

async function copyMetricDays(db: Database, connectionId: string, today: string): Promise<void> {
  const from = addDays(today, -WINDOW_DAYS);
  await sql`delete from droplet_metric_days where connection_id = ${connectionId} and day < ${from}::date`.execute(db);
  // The records in the window that are not in the copy as they are now (new, or their hash changed), by a
  // hashed set difference; only those are read out of their JSON.
  await sql`
    with changed as (
      -- The stream list as written in the partial index on metric days (migration 202611230140), so that it serves this.
      select r.stream, r.external_id, r.hash from sync_records r
      where r.connection_id = ${connectionId} and r.stream in ('droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics')
        and r.data->>'day' >= ${from} and r.data->>'day' < ${today}
      except
      select stream, external_id, hash from droplet_metric_days where connection_id = ${connectionId}
    )
    insert into droplet_metric_days as m (connection_id, stream, external_id, droplet, day, hash, samples, cpu_avg, cpu_p95, bytes, memory_used_avg)
    select r.connection_id, r.stream, r.external_id, r.parent_id, (r.data->>'day')::date, r.hash, (r.data->>'samples')::float8, (r.data->>'cpu_avg')::float8,
           (r.data->>'cpu_p95')::float8, (r.data->>'bytes')::float8, (r.data->>'memory_used_avg')::float8
    from changed x join sync_records r on r.connection_id = ${connectionId} and r.stream = x.stream and r.external_id = x.external_id
    on conflict (connection_id, stream, external_id) do update set droplet = excluded.droplet, day = excluded.day, hash = excluded.hash, samples = excluded.samples,
      cpu_avg = excluded.cpu_avg, cpu_p95 = excluded.cpu_p95, bytes = excluded.bytes, memory_used_avg = excluded.memory_used_avg`.execute(db);
}

/**
 * CPU, bandwidth and memory of each droplet over the last 14 and 30 whole days (today is not over yet).
 * cpuP95 is the highest of the daily 95th percentiles: "p95 below 5 % for 14 days" holds on every day.
 */
export async function usageByDroplet(db: Database, connectionId: string, today: string) {
  await copyMetricDays(db, connectionId, today);
  const from30 = addDays(today, -WINDOW_DAYS);
  const from14 = addDays(today, -14);
  const rows = (
    await sql<{ droplet: string; sampled14: number; cpu_avg14: number | null; cpu_p95_14: number | null; bytes14: number | null; mem14: number | null; sampled30: number; cpu_avg30: number | null; cpu_p95_30: number | null; bytes30: number | null; mem30: number | null }>`
      with m as (
        select droplet, day, stream = 'droplet_cpu_metrics' as cpu, stream like 'droplet_bandwidth_%' as bw, stream = 'droplet_memory_metrics' as memory,
               cpu_avg, samples, cpu_p95, bytes, memory_used_avg as mem
        from droplet_metric_days where connection_id = ${connectionId} and day >= ${from30}::date and day < ${today}::date
      )
      select droplet,
        count(distinct day) filter (where cpu and day >= ${from14}::date)::int as sampled14,
        sum(cpu_avg * samples) filter (where cpu and day >= ${from14}::date) / nullif(sum(samples) filter (where cpu and day >= ${from14}::date), 0) as cpu_avg14,
        max(cpu_p95) filter (where cpu and day >= ${from14}::date) as cpu_p95_14,
        sum(bytes) filter (where bw and day >= ${from14}::date) as bytes14,
        avg(mem) filter (where memory and day >= ${from14}::date) as mem14,
        count(distinct day) filter (where cpu)::int as sampled30,
        sum(cpu_avg * samples) filter (where cpu) / nullif(sum(samples) filter (where cpu), 0) as cpu_avg30,
        max(cpu_p95) filter (where cpu) as cpu_p95_30,
        sum(bytes) filter (where bw) as bytes30,
        avg(mem) filter (where memory) as mem30
      from m group by droplet`.execute(db)
  ).rows;
  const out = new Map<string, { d14: WindowUsage; d30: WindowUsage; sampled14: number; maxP95_14: number | null }>();
  const usage = (sampled: number, cpuAvg: number | null, cpuP95: number | null, bytes: number | null, mem: number | null): WindowUsage => ({
    sampledDays: sampled, cpuAvg, cpuP95, bandwidthBytes: bytes === null ? null : Math.round(bytes), memoryUsedAvg: mem,
  });
  for (const r of rows) {
    out.set(r.droplet, {
      d14: usage(r.sampled14, r.cpu_avg14, r.cpu_p95_14, r.bytes14, r.mem14),
      d30: usage(r.sampled30, r.cpu_avg30, r.cpu_p95_30, r.bytes30, r.mem30),
      sampled14: r.sampled14,
      maxP95_14: r.cpu_p95_14,
    });
  }
  return out;
}
