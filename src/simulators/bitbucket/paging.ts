import { ReplyError } from '../core/reply.ts';
import { bbError } from './errors.ts';

/**
 * Bitbucket's pagination (REST API intro, "Pagination"): `pagelen` (10 by default, at most 100;
 * pull requests at most 50; larger values are cut to the maximum), `page`, and a body of `size`,
 * `page`, `pagelen`, `values` and absolute `next`/`previous` URLs. Lists are taken at request
 * time, so a record that changes between two requests can move to another page.
 */

export interface PagingRules {
  defaultPagelen: number;
  maxPagelen: number;
}

export const DEFAULT_PAGING: PagingRules = { defaultPagelen: 10, maxPagelen: 100 };
export const PULL_REQUEST_PAGING: PagingRules = { defaultPagelen: 10, maxPagelen: 50 };

type Query = Record<string, string | string[] | undefined>;

function positive(value: string | string[] | undefined, name: string): number | null {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^\d+$/.test(text) || Number(text) < 1) throw new ReplyError(bbError(400, `Invalid ${name}`));
  return Number(text);
}

function withQuery(url: string, query: Query, changes: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k in changes || v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  }
  for (const [k, v] of Object.entries(changes)) params.set(k, v);
  return `${url}?${params}`;
}

function pagelenOf(query: Query, rules: PagingRules): number {
  return Math.min(rules.maxPagelen, positive(query.pagelen, 'pagelen') ?? rules.defaultPagelen);
}

/** A numbered page: `{ size, page, pagelen, next?, previous?, values }`. */
export function numberedPage<T>(all: readonly T[], query: Query, url: string, rules: PagingRules, serialize: (item: T) => unknown) {
  const pagelen = pagelenOf(query, rules);
  const page = positive(query.page, 'page') ?? 1;
  const last = Math.max(1, Math.ceil(all.length / pagelen));
  if (page > last) throw new ReplyError(bbError(404, 'Invalid page'));
  return {
    size: all.length,
    page,
    pagelen,
    ...(page < last ? { next: withQuery(url, query, { page: String(page + 1), pagelen: String(pagelen) }) } : {}),
    ...(page > 1 ? { previous: withQuery(url, query, { page: String(page - 1), pagelen: String(pagelen) }) } : {}),
    values: all.slice((page - 1) * pagelen, page * pagelen).map(serialize),
  };
}

/*
 * Commit and activity lists page with opaque cursors and give no `size` (counting them would cost
 * the service a walk of the whole history). A numbered page such as `?page=1` is refused with
 * "Invalid page" (Atlassian issue BCLOUD-19593); only cursors from `next` work.
 */
const CURSOR_PREFIX = 'c';

function encodeCursor(offset: number): string {
  return `${CURSOR_PREFIX}${offset.toString(36)}x${((offset * 2654435761) >>> 0).toString(36).slice(0, 4)}`;
}

function decodeCursor(token: string): number | null {
  if (!/^c[0-9a-z]+$/.test(token)) return null;
  // Base 36 digits and the hash may both contain 'x': try each 'x' as the separator; re-encoding decides.
  for (let i = token.indexOf('x', 2); i > 0; i = token.indexOf('x', i + 1)) {
    const offset = parseInt(token.slice(1, i), 36);
    if (encodeCursor(offset) === token) return offset;
  }
  return null;
}

export function cursorPage<T>(all: readonly T[], query: Query, url: string, param: 'page' | 'ctx', serialize: (item: T) => unknown) {
  const pagelen = pagelenOf(query, DEFAULT_PAGING);
  const raw = query[param];
  const token = Array.isArray(raw) ? raw[0] : raw;
  const offset = token === undefined ? 0 : decodeCursor(token);
  if (offset === null) throw new ReplyError(bbError(404, 'Invalid page'));
  const end = offset + pagelen;
  return {
    pagelen,
    values: all.slice(offset, end).map(serialize),
    ...(end < all.length ? { next: withQuery(url, query, { [param]: encodeCursor(end), pagelen: String(pagelen) }) } : {}),
  };
}
