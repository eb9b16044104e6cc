import type { Pagination } from '../../../sync/types.ts';

/** DigitalOcean's largest page ("Links & Pagination": `per_page` at most 200). */
export const MAX_PER_PAGE = 200;

export function pages(recordsKey: string): Pagination {
  return { kind: 'digitalocean', recordsKey, pageSize: MAX_PER_PAGE };
}

/** The UTC day (YYYY-MM-DD) of an ISO timestamp or of Unix seconds. */
export function utcDay(at: string | number): string {
  return new Date(typeof at === 'number' ? at * 1000 : at).toISOString().slice(0, 10);
}

/**
 * The list under `key` of a response body, for streams whose `extract` adds to each record. A body
 * without that list is an error, never an empty page (an empty page would read as "everything deleted").
 */
export function listAt(body: unknown, key: string): Array<Record<string, unknown>> {
  const list = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) throw new Error(`the response has no "${key}" list`);
  return list as Array<Record<string, unknown>>;
}
