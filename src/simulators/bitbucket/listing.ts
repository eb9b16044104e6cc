import { ReplyError } from '../core/reply.ts';
import { BbqlError, matches, parseBbql, sortBy } from './bbql.ts';
import type { FieldValue } from './bbql.ts';
import { bbError } from './errors.ts';

/** `q=` and `sort=` over serialized records, limited to the fields an endpoint allows. */

export function readJsonPath(record: unknown, field: string): FieldValue {
  let value: unknown = record;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined || value === null) return null;
  return typeof value === 'object' ? JSON.stringify(value) : (value as FieldValue);
}

type Query = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface ListRules<T> {
  /** Fields `q` and `sort` may name. */
  fields: readonly string[];
  defaultSort: string | null;
  /** Reads a field; defaults to the serialized JSON. */
  read?: (record: T, field: string) => FieldValue;
}

export function filterAndSort<T>(records: T[], query: Query, rules: ListRules<T>): T[] {
  const read = (record: T, field: string): FieldValue =>
    rules.fields.includes(field) ? ((rules.read ? rules.read(record, field) : readJsonPath(record, field)) ?? null) : undefined;
  try {
    const q = single(query.q);
    const tree = q ? parseBbql(q) : null;
    let out = tree ? records.filter((r) => matches(tree, r, read)) : records;
    const sort = single(query.sort) ?? rules.defaultSort;
    if (sort) {
      const field = sort.replace(/^-/, '');
      if (!rules.fields.includes(field)) throw new BbqlError(`Invalid sort field: ${field}`);
      out = sortBy(out, sort, read);
    }
    return out;
  } catch (error) {
    if (error instanceof BbqlError) throw new ReplyError(bbError(400, error.message));
    throw error;
  }
}
