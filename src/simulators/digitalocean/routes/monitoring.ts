import { HOUR_MS } from '../../core/clock.ts';
import { ReplyError, ok } from '../../core/reply.ts';
import type { DigitalOceanWorld } from '../world.ts';
import { badRequest } from '../api.ts';
import type { DoRequestContext, DoRoute } from '../api.ts';
import { MEMORY_METRICS, bandwidthSeries, cpuSeries, memorySeries } from '../metrics.ts';
import type { MetricSeries } from '../metrics.ts';
import type { DoDroplet } from '../model.ts';

/** Droplet metrics: `host_id`, `start` and `end` (Unix seconds) are required on every call. */

interface MetricQuery {
  droplet: DoDroplet | null;
  start: number;
  end: number;
}

function parseQuery(ctx: DoRequestContext): MetricQuery {
  const { host_id: hostId, start, end } = ctx.query;
  if (!hostId || !start || !end) throw new ReplyError(badRequest('host_id, start and end are required'));
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end) || Number(end) < Number(start))
    throw new ReplyError(badRequest('start and end must be Unix timestamps, start first'));
  // Another team's droplet has no series here; the API answers with an empty result.
  const droplet = ctx.world.state.droplets.find((d) => String(d.id) === hostId) ?? null;
  return { droplet, start: Number(start), end: Number(end) };
}

function metricsReply(ctx: DoRequestContext, series: (q: MetricQuery & { droplet: DoDroplet }) => MetricSeries[]) {
  const q = parseQuery(ctx);
  const result = q.droplet ? series({ ...q, droplet: q.droplet }) : [];
  return ok({ status: 'success', data: { resultType: 'matrix', result } });
}

export function monitoringRoutes(world: DigitalOceanWorld): DoRoute[] {
  const window = () => {
    const end = Math.floor(world.clock.epochMs / 1000);
    const host = world.state.droplets.find((d) => d.deletedAt === null)?.id;
    return { host, range: `start=${end - (6 * HOUR_MS) / 1000}&end=${end}` };
  };
  const memory = MEMORY_METRICS.map<DoRoute>((metric) => ({
    documentPath: `/v2/monitoring/metrics/droplet/${metric}`,
    handle: (ctx) => metricsReply(ctx, (q) => memorySeries(q.droplet, metric, q.start, q.end, ctx.now)),
    examples: () => [`/v2/monitoring/metrics/droplet/${metric}?host_id=${window().host}&${window().range}`],
  }));
  return [
    {
      documentPath: '/v2/monitoring/metrics/droplet/cpu',
      handle: (ctx) => metricsReply(ctx, (q) => cpuSeries(q.droplet, q.start, q.end, ctx.now)),
      examples: () => {
        const { host, range } = window();
        return [`/v2/monitoring/metrics/droplet/cpu?host_id=${host}&${range}`, `/v2/monitoring/metrics/droplet/cpu?host_id=1&${range}`, '/v2/monitoring/metrics/droplet/cpu?host_id=1'];
      },
    },
    {
      documentPath: '/v2/monitoring/metrics/droplet/bandwidth',
      handle(ctx) {
        const iface = ctx.query.interface;
        const direction = ctx.query.direction;
        if ((iface !== 'public' && iface !== 'private') || (direction !== 'inbound' && direction !== 'outbound'))
          return badRequest('interface must be public or private and direction inbound or outbound');
        return metricsReply(ctx, (q) => bandwidthSeries(q.droplet, iface, direction, q.start, q.end, ctx.now));
      },
      examples: () => [`/v2/monitoring/metrics/droplet/bandwidth?host_id=${window().host}&interface=public&direction=outbound&${window().range}`],
    },
    ...memory,
  ];
}
