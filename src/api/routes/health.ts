import { sql } from 'kysely';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { pendingMigrations } from '../../store/migrate.ts';
import type { TallyApp } from '../server.ts';

/** /healthz: the process is up. /readyz: the database answers and the schema is current. /metrics: Prometheus. */
export function healthRoutes(app: TallyApp, ctx: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'tally_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const Health = z.object({ status: z.enum(['ok', 'unavailable']), reason: z.string().optional() });

  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Liveness: the process is up', response: { 200: Health } },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Readiness: database reachable and migrations done', response: { 200: Health, 503: Health } },
    handler: async (_req, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        const pending = await pendingMigrations(ctx.db);
        if (pending.length > 0) return reply.code(503).send({ status: 'unavailable' as const, reason: `${pending.length} migration(s) not applied yet` });
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, reason: 'the database is not reachable' });
      }
    },
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: true },
    handler: async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  });
}
