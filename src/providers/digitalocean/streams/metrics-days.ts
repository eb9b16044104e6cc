import { MetricsResponse } from '../schemas.ts';
import { utcDay } from './paging.ts';

/**
 * Daily aggregates of the monitoring API's series (a Prometheus matrix of `[unix seconds, "value"]`).
 * An interval between two points counts on the day of its later point.
 */

type Series = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

export function seriesOf(body: unknown): Series {
  return MetricsResponse.parse(body).data.result;
}

function groupByDay<T>(items: T[], dayOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const day = dayOf(item);
    const list = out.get(day);
    if (list) list.push(item);
    else out.set(day, [item]);
  }
  return out;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/**
 * CPU arrives as cumulative seconds per mode; the busy share of an interval is 1 - idle delta / total
 * delta. A falling total (a reboot resets the counters) drops that interval.
 */
export function cpuDays(body: unknown, dropletId: number) {
  const total = new Map<number, number>();
  const idle = new Map<number, number>();
  for (const s of seriesOf(body))
    for (const [t, v] of s.values) {
      total.set(t, (total.get(t) ?? 0) + Number(v));
      if (s.metric.mode === 'idle') idle.set(t, (idle.get(t) ?? 0) + Number(v));
    }
  const times = [...total.keys()].sort((a, b) => a - b);
  const intervals: Array<{ t: number; seconds: number; busy: number }> = [];
  for (let i = 1; i < times.length; i++) {
    const [t0, t1] = [times[i - 1] as number, times[i] as number];
    const seconds = (total.get(t1) ?? 0) - (total.get(t0) ?? 0);
    if (!(seconds > 0)) continue;
    const idleSeconds = (idle.get(t1) ?? 0) - (idle.get(t0) ?? 0);
    intervals.push({ t: t1, seconds, busy: Math.min(1, Math.max(0, 1 - idleSeconds / seconds)) });
  }
  return [...groupByDay(intervals, (x) => utcDay(x.t))].map(([day, xs]) => {
    const seconds = xs.reduce((sum, x) => sum + x.seconds, 0);
    const busy = xs.map((x) => x.busy).sort((a, b) => a - b);
    return {
      droplet_id: dropletId,
      day,
      samples: xs.length,
      cpu_avg: round(xs.reduce((sum, x) => sum + x.busy * x.seconds, 0) / seconds, 6),
      cpu_p95: round(quantile(busy, 0.95), 6),
      cpu_max: round(busy.at(-1) ?? 0, 6),
    };
  });
}

/** Bandwidth arrives as Mbps at each point; bytes are the trapezoid area under the rate. */
export function bandwidthDays(body: unknown, dropletId: number, direction: 'inbound' | 'outbound') {
  const points = (seriesOf(body)[0]?.values ?? []).map(([t, v]) => ({ t, mbps: Number(v) })).sort((a, b) => a.t - b.t);
  const intervals: Array<{ t: number; seconds: number; bytes: number; mbps: number }> = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1] as { t: number; mbps: number }, points[i] as { t: number; mbps: number }];
    const seconds = b.t - a.t;
    intervals.push({ t: b.t, seconds, bytes: (((a.mbps + b.mbps) / 2) * seconds * 1_000_000) / 8, mbps: b.mbps });
  }
  return [...groupByDay(intervals, (x) => utcDay(x.t))].map(([day, xs]) => {
    const seconds = xs.reduce((sum, x) => sum + x.seconds, 0);
    const bytes = xs.reduce((sum, x) => sum + x.bytes, 0);
    return {
      droplet_id: dropletId,
      day,
      direction,
      samples: xs.length,
      bytes: Math.round(bytes),
      avg_mbps: round((bytes * 8) / 1_000_000 / seconds, 6),
      max_mbps: Math.max(...xs.map((x) => x.mbps)),
    };
  });
}

/** Available memory at each point (bytes); the total is the droplet's size, which the parent record gives. */
export function memoryDays(body: unknown, dropletId: number, totalBytes: number) {
  const points = (seriesOf(body)[0]?.values ?? []).map(([t, v]) => ({ t, bytes: Number(v) }));
  return [...groupByDay(points, (p) => utcDay(p.t))].map(([day, ps]) => {
    const avg = ps.reduce((sum, p) => sum + p.bytes, 0) / ps.length;
    return {
      droplet_id: dropletId,
      day,
      samples: ps.length,
      memory_total_bytes: totalBytes,
      memory_available_avg_bytes: Math.round(avg),
      memory_available_min_bytes: Math.min(...ps.map((p) => p.bytes)),
      memory_used_avg: totalBytes > 0 ? round(Math.min(1, Math.max(0, 1 - avg / totalBytes)), 6) : 0,
    };
  });
}
