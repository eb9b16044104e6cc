import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { pairsSql } from '../recompute/changes.ts';

/**
 * Each person's activity across their accounts, for the directory's status and sorting: last active day,
 * the last day some account stays within its app's inactivity threshold, accounts and seats, and whether
 * every account left its app (each app's usage level is read from the accounts when a page is shown).
 * Refreshed for the people with an account in some connections (`connections`: every account;
 * `accounts`: (connection, account) pairs that changed), or for the people an admin just re-linked. A
 * person left without accounts keeps zeros.
 */
/** Up to this many people are refreshed by lookups per person rather than by joining whole tables. */
const FEW_PEOPLE = 2000;

export type PeopleScope = { connections: string[]; accounts: { connections: string[]; values: string[] } } | { personIds: string[] };

/** Returns how many people rows it rewrote. */
export async function refreshPeopleStats(db: Database, scope: PeopleScope, organizationId: string): Promise<number> {
  // The people first, as a list: the planner then knows how many and joins their accounts accordingly
  // (thousands after a day's syncs: by hash; a handful after an admin's correction: by index).
  const people =
    'personIds' in scope
      ? scope.personIds
      : !scope.connections.length && !scope.accounts.connections.length
        ? []
        : (
            await sql<{ person_id: string }>`
              select person_id from person_accounts where connection_id = any(${scope.connections}::uuid[])
              union
              -- Narrowed to the pairs' connections first, so that a few pairs do not read every link of the organization.
              select x.person_id from person_accounts x join ${pairsSql(scope.accounts.connections, scope.accounts.values, 'text', 'y', 'account_id')}
                on x.connection_id = y.connection_id and x.account_id = y.account_id
              where x.connection_id = any(${[...new Set(scope.accounts.connections)]}::uuid[])`.execute(db)
          ).rows.map((r) => r.person_id);
  if (!people.length) return 0;
  const stats = sql`
    select pa.person_id, max(a.last_day) as last_day,
           min(case when pa.method = 'confirmed' then pa.confidence else 1 end) as link_confidence,
           max(a.last_day + (coalesce(st.inactivity_threshold_days, 60) - 1)) as active_until,
           count(*)::int as accounts, count(*) filter (where a.seat)::int as seats,
           bool_and(coalesce(a.departed, false) or not coalesce(a.seat, false)) and bool_or(coalesce(a.departed, false)) as departed
    from person_accounts pa
    left join analytics_accounts a on a.connection_id = pa.connection_id and a.account_id = pa.account_id
    left join app_settings st on st.connection_id = pa.connection_id`;
  // Thousands of people (a day's syncs of every app): their links and accounts joined by hash, each table read
  // once. A few hundred (one app's sync, an admin's correction): each person's accounts looked up by key.
  const source =
    people.length > FEW_PEOPLE
      ? sql`(${stats} where pa.person_id = any(${people}::uuid[]) group by pa.person_id)`
      : sql`(select x.* from unnest(${people}::uuid[]) as w(person_id) cross join lateral (${stats} where pa.person_id = w.person_id group by pa.person_id) x)`;
  const updated = await sql`
    update people p set last_day = s.last_day, active_until = s.active_until, accounts = s.accounts, seats = s.seats, departed = s.departed,
      link_confidence = s.link_confidence
    from ${source} s
    where p.id = s.person_id and p.organization_id = ${organizationId}
      and (p.last_day, p.active_until, p.accounts, p.seats, p.departed, p.link_confidence)
        is distinct from (s.last_day, s.active_until, s.accounts, s.seats, s.departed, s.link_confidence)`.execute(db);
  return Number(updated.numAffectedRows ?? 0);
}
