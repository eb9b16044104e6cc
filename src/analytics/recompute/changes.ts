import { sql } from 'kysely';

/**
 * What a recompute of several connections at once works from: the (connection, account, day) triples whose
 * activity changed since the last recompute, as parallel arrays, so that each step is one statement over
 * every connection (unnest() turns them back into rows) rather than one per connection.
 */
export type Changes = { connections: string[]; accounts: string[]; days: string[] };

export const noChanges = (): Changes => ({ connections: [], accounts: [], days: [] });

/** The triples as a row source `p(connection_id, account_id, day)`. */
export const changesSql = (c: Changes) => sql`unnest(${c.connections}::uuid[], ${c.accounts}::text[], ${c.days}::date[]) as p(connection_id, account_id, day)`;

/** (connection, value) pairs as a row source `alias(connection_id, name)` of the given SQL type. */
export const pairsSql = (connections: string[], values: Array<string | number>, type: 'text' | 'date' | 'int', alias: string, name: string) =>
  sql`unnest(${connections}::uuid[], ${values}::${sql.raw(type)}[]) as ${sql.raw(alias)}(connection_id, ${sql.raw(name)})`;

/** Distinct (connection, value) pairs of the changes, e.g. the changed days or accounts of each connection. */
export function distinctPairs(c: Changes, pick: (i: number) => string): { connections: string[]; values: string[] } {
  const seen = new Set<string>();
  const out = { connections: [] as string[], values: [] as string[] };
  for (let i = 0; i < c.connections.length; i++) {
    const value = pick(i);
    const key = `${c.connections[i]}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.connections.push(c.connections[i]!);
    out.values.push(value);
  }
  return out;
}
