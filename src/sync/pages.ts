import type { ParentRecord, StreamDefinition } from './types.ts';

/** The first URL of a pass: path, fixed and incremental query, and the largest page size the provider allows. */
export function firstUrl(baseUrl: string, stream: StreamDefinition, parent: ParentRecord | undefined, since: string | undefined, now: Date): string {
  const path = typeof stream.path === 'function' ? stream.path(parent!) : stream.path;
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  const query = typeof stream.query === 'function' ? stream.query({ parent, now }) : (stream.query ?? {});
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  if (stream.incremental) for (const [k, v] of Object.entries(stream.incremental.query(since))) url.searchParams.set(k, v);
  if (stream.pagination.kind === 'digitalocean') url.searchParams.set('per_page', String(stream.pagination.pageSize));
  if (stream.pagination.kind === 'bitbucket') url.searchParams.set('pagelen', String(stream.pagination.pageSize));
  return url.toString();
}

/** The raw records of one page. */
export function recordsOf(stream: StreamDefinition, body: unknown, parent: ParentRecord | undefined, url: string): unknown[] {
  if (stream.extract) return stream.extract(body, parent, new URL(url));
  const b = (body ?? {}) as Record<string, unknown>;
  const p = stream.pagination;
  const value = p.kind === 'bitbucket' ? b.values : p.kind === 'digitalocean' ? b[p.recordsKey] : p.recordsKey ? b[p.recordsKey] : body;
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The next page's URL, or null at the end. Tokens go only to the provider's API: a `next` link that
 * points anywhere else is re-rooted on the API base URL instead of being followed.
 */
export function nextUrl(stream: StreamDefinition, body: unknown, baseUrl: string): string | null {
  const b = (body ?? {}) as { next?: unknown; links?: { pages?: { next?: unknown } } };
  const raw = stream.pagination.kind === 'bitbucket' ? b.next : stream.pagination.kind === 'digitalocean' ? b.links?.pages?.next : undefined;
  if (typeof raw !== 'string' || raw === '') return null;
  const base = new URL(baseUrl);
  const next = new URL(raw, base);
  if (next.origin === base.origin) return next.toString();
  // e.g. DigitalOcean's links say https://api.digitalocean.com while Tally talks to a proxy or simulator.
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = next.pathname.startsWith(basePath) ? next.pathname : basePath + next.pathname.replace(/^\/(2\.0)(?=\/)/, '');
  return new URL(path + next.search, base.origin).toString();
}
