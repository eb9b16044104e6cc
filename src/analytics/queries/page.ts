import type { ListQuery } from '../../api/contracts/analytics.ts';
import { CSV_MAX_ROWS } from '../csv.ts';

export type Page<T> = { items: T[]; total: number; limit: number; offset: number; nextOffset: number | null };

/** The rows a list query asks for: its page, or every row (up to the export limit) for CSV. */
export function window(query: Pick<ListQuery, 'limit' | 'offset' | 'format'>): { limit: number; offset: number } {
  return query.format === 'csv' ? { limit: CSV_MAX_ROWS, offset: 0 } : { limit: query.limit, offset: query.offset };
}

export function pageOf<T>(items: T[], total: number, query: Pick<ListQuery, 'limit' | 'offset' | 'format'>): Page<T> {
  const { limit, offset } = window(query);
  return { items, total, limit, offset, nextOffset: offset + items.length < total ? offset + items.length : null };
}

/** Pages an in-memory list (small lists: apps, features, renewals). */
export function slice<T>(all: T[], query: Pick<ListQuery, 'limit' | 'offset' | 'format'>): Page<T> {
  const { limit, offset } = window(query);
  return pageOf(all.slice(offset, offset + limit), all.length, query);
}
