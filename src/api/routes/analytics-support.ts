import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { answerCached } from '../../analytics/cache.ts';
import { toCsv } from '../../analytics/csv.ts';
import { utcDay } from '../../analytics/dates.ts';
import type { Page } from '../../analytics/queries/page.ts';
import { requireOrg, requireUser } from '../server.ts';

export const today = (): string => utcDay();

/**
 * Answers a list as JSON, or with `?format=csv` as a CSV download named after the list and its range
 * (contract: src/api/contracts/analytics.ts).
 */
export function sendList<P extends Page<object>>(reply: FastifyReply, query: { format: 'json' | 'csv'; from?: string | undefined; to?: string | undefined }, name: string, page: P): P | FastifyReply {
  if (query.format !== 'csv') return page;
  const range = [query.from, query.to].filter(Boolean).join('-') || utcDay();
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${range}.csv"`)
    .send(toCsv(page.items as Array<Record<string, unknown>>));
}

/** A GET answer through the analytics cache: computed once per data version, then served as kept. */
export function cached(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, compute: () => Promise<unknown>): Promise<FastifyReply> {
  return answerCached(ctx.db, req, reply, requireOrg(req), compute);
}

/** A list through the analytics cache; a CSV export (rare, and every row) is computed each time. */
export async function cachedList<P extends Page<object>>(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  query: Parameters<typeof sendList>[1],
  name: string,
  compute: () => Promise<P>,
): Promise<P | FastifyReply> {
  if (query.format === 'csv') return sendList(reply, query, name, await compute());
  return cached(ctx, req, reply, compute);
}

/** The acting admin, as decisions record them. */
export async function actor(ctx: AppContext, req: FastifyRequest): Promise<{ id: string; name: string }> {
  const { id } = requireUser(req);
  const user = await ctx.db.selectFrom('users').select(['name']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id, name: user.name };
}

export const CSV_NOTE = ' Add `format=csv` for every matching row as a CSV download.';
