import { defineStream } from '../../../sync/types.ts';
import type { ParentRecord } from '../../../sync/types.ts';
import { DropletBandwidthDay, DropletCpuDay, DropletMemoryDay } from '../schemas.ts';
import { bandwidthDays, cpuDays, memoryDays } from './metrics-days.ts';
import { utcDay } from './paging.ts';

/**
 * Droplet monitoring as one record per droplet and UTC day. Each metric is its own request (the monitoring
 * API answers one metric per call), so each is its own stream; analytics joins them on (droplet_id, day).
 * The window is the last 14 whole UTC days: a day is only written once it is over, so its figures are final.
 *
 * A day's figures come from the intervals that end on it, so the first one needs the point before its
 * midnight: the request starts an hour early (the API's step for two weeks is well under an hour) and the
 * partial day that hour makes is dropped. Without that the oldest day of every window came out short and
 * overwrote the full figures an earlier sync had saved for it.
 */

const DAY_S = 86_400;
const WINDOW_DAYS = 14;
const LEAD_S = 3600;

function window(droplet: ParentRecord, now: Date): Record<string, string> {
  const today = Math.floor(now.getTime() / 1000 / DAY_S) * DAY_S;
  return { host_id: droplet.externalId, start: String(today - WINDOW_DAYS * DAY_S - LEAD_S), end: String(today - 1) };
}

const query = ({ parent, now }: { parent: ParentRecord | undefined; now: Date }) => {
  if (!parent) throw new Error('droplet metrics run per droplet');
  return window(parent, now);
};

/** The days of a series whose every interval was asked for (the lead hour's day is not one of them). */
function wholeDays<T extends { day: string }>(days: T[], url: URL): T[] {
  const first = utcDay(Number(url.searchParams.get('start')) + LEAD_S);
  return days.filter((d) => d.day >= first);
}

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
  extract: (body, droplet, url) => wholeDays(cpuDays(body, dropletId(droplet)), url),
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
    extract: (body, droplet, url) => wholeDays(bandwidthDays(body, dropletId(droplet), direction), url),
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
  extract: (body, droplet, url) => wholeDays(memoryDays(body, dropletId(droplet), Number(droplet?.data.memory ?? 0) * 1024 * 1024), url),
  schema: DropletMemoryDay,
  id: (d) => `${d.droplet_id}:${d.day}`,
  incremental: byDay,
});
