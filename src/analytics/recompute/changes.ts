import { sql } from 'kysely';

/**
 * What a recompute of several connections at once works from: the (connection, account, day) triples whose
 * activity changed since the last recompute, as parallel arrays, so that each step is one statement over
 * every connection (unnest() turns them back into rows) rather than one per connection.
 */
export type Changes = { connections: string[]; accounts: string[]; days: string[] };

export const noChanges = (): Changes => ({ connections: [], accounts: [], days: [] });

/** The triples as a row source `p(connection_id, account_id, day)` (or another alias). */
export const changesSql = (c: Changes, alias = 'p') => sql`unnest(${c.connections}::uuid[], ${c.accounts}::text[], ${c.days}::date[]) as ${sql.raw(alias)}(connection_id, account_id, day)`;

/**
 * The facts of the changed (connection, account, day) triples, as `d` rows of activity_daily: each changed
 * day of a connection is read as one range of the (connection, day) index, not one lookup per account
 * (a day's sync changes most accounts' day at once, and their facts lie together).
 */
export function changedFactsSql(c: Changes) {
  // The distinct days as a list of their own: the planner then knows how few ranges there are.
  const days = distinctPairs(c, (i) => c.days[i]!);
  return sql`(
    select d.* from (
      select d.* from ${pairsSql(days.connections, days.values, 'date', 'x', 'day')}
      join activity_daily d on d.connection_id = x.connection_id and d.day = x.day
      offset 0 -- a fence: pushed down, the account filter below turns the ranges back into one lookup per account
    ) d
    where (d.connection_id, d.account_id, d.day) in (select y.connection_id, y.account_id, y.day from ${changesSql(c, 'y')})
  )`;
}

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
