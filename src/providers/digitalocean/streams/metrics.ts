import { defineStream } from '../../../sync/types.ts';
import type { ParentRecord } from '../../../sync/types.ts';
import { DropletBandwidthDay, DropletCpuDay, DropletMemoryDay } from '../schemas.ts';
import { bandwidthDays, cpuDays, memoryDays } from './metrics-days.ts';

/**
 * Droplet monitoring as one record per droplet and UTC day. Each metric is its own request (the monitoring
 * API answers one metric per call), so each is its own stream; analytics joins them on (droplet_id, day).
 * The window is the last 14 whole UTC days: a day is only written once it is over, so its figures are final.
 */

const DAY_S = 86_400;
const WINDOW_DAYS = 14;

function window(droplet: ParentRecord, now: Date): Record<string, string> {
  const today = Math.floor(now.getTime() / 1000 / DAY_S) * DAY_S;
  return { host_id: droplet.externalId, start: String(today - WINDOW_DAYS * DAY_S), end: String(today - 1) };
}

const query = ({ parent, now }: { parent: ParentRecord | undefined; now: Date }) => {
  if (!parent) throw new Error('droplet metrics run per droplet');
  return window(parent, now);
};

/**
 * Days accumulate: a day that slid out of the window is history, not a deletion. The window itself is the
 * filter, so the cursor asks for nothing more.
 */
const byDay = { value: (r: { day: string }) => r.day, query: () => ({}), newestFirst: false };

const dropletId = (droplet: ParentRecord | undefined) => Number(droplet?.externalId);

export const dropletCpuMetrics = defineStream({
  name: 'droplet_cpu_metrics',
  provider: 'digitalocean',
  parent: 'droplets',
  path: '/v2/monitoring/metrics/droplet/cpu',
  query,
  pagination: { kind: 'single' },
  extract: (body, droplet) => cpuDays(body, dropletId(droplet)),
  schema: DropletCpuDay,
  id: (d) => `${d.droplet_id}:${d.day}`,
  incremental: byDay,
  // A day with CPU samples is a day the droplet ran.
  activity: (d) => [{ accountId: String(d.droplet_id), day: d.day, feature: 'droplet.running', count: 1 }],
});

function bandwidthStream(direction: 'inbound' | 'outbound') {
  return defineStream({
    name: `droplet_bandwidth_${direction}_metrics`,
    provider: 'digitalocean',
    parent: 'droplets',
    path: '/v2/monitoring/metrics/droplet/bandwidth',
    // Public traffic only: that is what counts against the transfer allowance and is billed over it.
    query: (input) => ({ ...query(input), interface: 'public', direction }),
    pagination: { kind: 'single' },
    extract: (body, droplet) => bandwidthDays(body, dropletId(droplet), direction),
    schema: DropletBandwidthDay,
    id: (d) => `${d.droplet_id}:${d.day}`,
    incremental: byDay,
  });
}

export const dropletBandwidthInboundMetrics = bandwidthStream('inbound');
export const dropletBandwidthOutboundMetrics = bandwidthStream('outbound');

/** Memory is only reported by the monitoring agent, which a droplet has when `features` lists `monitoring`. */
export const dropletMemoryMetrics = defineStream({
  name: 'droplet_memory_metrics',
  provider: 'digitalocean',
  parent: 'droplets',
  path: '/v2/monitoring/metrics/droplet/memory_available',
  query,
  pagination: { kind: 'single' },
  shouldFetch: (droplet) => Array.isArray(droplet.data.features) && droplet.data.features.includes('monitoring'),
  // The droplet's `memory` is in MiB.
  extract: (body, droplet) => memoryDays(body, dropletId(droplet), Number(droplet?.data.memory ?? 0) * 1024 * 1024),
  schema: DropletMemoryDay,
  id: (d) => `${d.droplet_id}:${d.day}`,
  incremental: byDay,
});
