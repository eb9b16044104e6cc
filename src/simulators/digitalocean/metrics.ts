import { dropletSize } from './catalog.ts';
import type { DoDroplet } from './model.ts';

/**
 * Droplet monitoring series in the Prometheus matrix shape the monitoring API returns. Values are
 * pure functions of the droplet and the timestamp, so any range can be served without storing it.
 * CPU is reported as cumulative seconds per mode (callers take rates); bandwidth in Mbps; memory
 * in bytes.
 */

const DAY_S = 86_400;
const MAX_POINTS = 500;

export interface MetricSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

const CPU_MODE_SHARES: Record<string, (busy: number) => number> = {
  user: (b) => b * 0.68,
  system: (b) => b * 0.22,
  iowait: (b) => b * 0.05,
  softirq: (b) => b * 0.03,
  irq: () => 0,
  nice: (b) => b * 0.02,
  steal: () => 0,
  idle: (b) => 1 - b,
};

/** Seconds between points: at least a minute, and at most MAX_POINTS points per series. */
function stepFor(startS: number, endS: number): number {
  return Math.max(60, Math.ceil((endS - startS) / MAX_POINTS / 60) * 60);
}

/** The timestamps (seconds) in [start, end] on the step grid at which the droplet existed. */
function timestamps(droplet: DoDroplet, startS: number, endS: number, nowMs: number): number[] {
  const step = stepFor(startS, endS);
  const from = Math.max(startS, Math.ceil(droplet.createdAt / 1000));
  const to = Math.min(endS, Math.floor((droplet.deletedAt ?? nowMs) / 1000), Math.floor(nowMs / 1000));
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

/** A day-long swing that never runs a cumulative counter backwards (its slope stays above zero). */
function diurnal(t: number): number {
  return Math.sin((2 * Math.PI * t) / DAY_S);
}

export function cpuSeries(droplet: DoDroplet, startS: number, endS: number, nowMs: number): MetricSeries[] {
  const vcpus = dropletSize(droplet.sizeSlug).vcpus;
  const born = droplet.createdAt / 1000;
  const ts = timestamps(droplet, startS, endS, nowMs);
  return Object.entries(CPU_MODE_SHARES).map(([mode, share]) => {
    const rate = vcpus * share(droplet.cpuBusy);
    const swing = mode === 'idle' ? 0 : (rate * DAY_S) / (4 * Math.PI);
    return {
      metric: { host_id: String(droplet.id), mode },
      values: ts.map((t) => [t, Math.max(0, rate * (t - born) + swing * diurnal(t)).toFixed(2)] as [number, string]),
    };
  });
}

export function bandwidthSeries(
  droplet: DoDroplet,
  iface: 'public' | 'private',
  direction: 'inbound' | 'outbound',
  startS: number,
  endS: number,
  nowMs: number,
): MetricSeries[] {
  const base = (iface === 'public' ? 4 : 1.5) * (direction === 'outbound' ? 1.3 : 1) * (droplet.cpuBusy + 0.02);
  return [
    {
      metric: { direction, host_id: String(droplet.id), interface: iface },
      values: timestamps(droplet, startS, endS, nowMs).map((t) => [t, Math.max(0, base * (1 + 0.5 * diurnal(t))).toFixed(6)] as [number, string]),
    },
  ];
}

export const MEMORY_METRICS = ['memory_total', 'memory_free', 'memory_available', 'memory_cached'] as const;
export type MemoryMetric = (typeof MEMORY_METRICS)[number];

export function memorySeries(droplet: DoDroplet, metric: MemoryMetric, startS: number, endS: number, nowMs: number): MetricSeries[] {
  const total = dropletSize(droplet.sizeSlug).memory * 1024 * 1024;
  const value = (t: number): number => {
    const used = Math.min(0.97, droplet.memoryUsedShare * (1 + 0.08 * diurnal(t)));
    if (metric === 'memory_total') return total;
    if (metric === 'memory_cached') return total * 0.12;
    if (metric === 'memory_available') return total * (1 - used);
    return total * (1 - used) * 0.6;
  };
  return [
    {
      metric: { host_id: String(droplet.id) },
      values: timestamps(droplet, startS, endS, nowMs).map((t) => [t, String(Math.round(value(t)))] as [number, string]),
    },
  ];
}
