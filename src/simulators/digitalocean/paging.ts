import { ReplyError } from '../core/reply.ts';
import { badRequest } from './api.ts';
import type { DoRequestContext } from './api.ts';

// DigitalOcean's API reference, "Links & Pagination": `page` and `per_page`, 20 by default and at
// most 200 per page; `links.pages` carries absolute first/prev/next/last URLs and `meta.total` the count.
const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 200;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new ReplyError(badRequest(`${name} must be a positive integer`));
  return Number(value);
}

export interface DoPage<T> {
  items: T[];
  page: number;
  perPage: number;
  lastPage: number;
  links: { pages?: Record<string, string> };
  meta: { total: number };
}

export function paginate<T>(ctx: DoRequestContext, path: string, all: readonly T[]): DoPage<T> {
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(ctx.query.per_page, 'per_page', DEFAULT_PER_PAGE));
  const page = positiveInt(ctx.query.page, 'page', 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const url = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(ctx.query)) if (v !== undefined && k !== 'page' && k !== 'per_page') params.set(k, v);
    params.set('page', String(p));
    params.set('per_page', String(perPage));
    return `${ctx.apiBase}${path}?${params}`;
  };
  const pages: Record<string, string> = {};
  if (page > 1) {
    pages.first = url(1);
    pages.prev = url(Math.min(page - 1, last));
  }
  if (page < last) {
    pages.next = url(page + 1);
    pages.last = url(last);
  }
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    page,
    perPage,
    lastPage: last,
    links: Object.keys(pages).length > 0 ? { pages } : {},
    meta: { total: all.length },
  };
}

/** The usual list body: `{ <key>: [...], links, meta }`. */
export function pagedBody<T>(ctx: DoRequestContext, path: string, key: string, all: readonly T[], serialize: (item: T) => unknown): Record<string, unknown> {
  const page = paginate(ctx, path, all);
  return { [key]: page.items.map(serialize), links: page.links, meta: page.meta };
}
