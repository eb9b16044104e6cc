import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';

/**
 * Each person's activity across their accounts, for the directory's status and sorting: last active day,
 * the last day some account stays within its app's inactivity threshold, accounts and seats, and whether
 * every account left its app. Refreshed for the people with a changed account (or any account) in the connection recomputed, or
 * for the people an admin just re-linked. A person left without accounts keeps zeros.
 */
export async function refreshPeopleStats(db: Database, scope: { connectionId: string; accounts?: string[] } | { personIds: string[] }, organizationId: string): Promise<void> {
  if ('accounts' in scope && scope.accounts && !scope.accounts.length) return;
  const who =
    'connectionId' in scope
      ? sql`select person_id from person_accounts where connection_id = ${scope.connectionId} ${scope.accounts ? sql`and account_id = any(${scope.accounts}::text[])` : sql``}`
      : sql`select unnest(${scope.personIds}::uuid[])`;
  await sql`
    update people p set last_day = s.last_day, active_until = s.active_until, accounts = s.accounts, seats = s.seats, departed = s.departed,
      apps = s.apps, link_confidence = s.link_confidence
    from (
      select pa.person_id, max(a.last_day) as last_day,
             jsonb_agg(jsonb_build_object('appId', pa.connection_id, 'provider', c.provider, 'lastDay', a.last_day, 'lastNonBasicDay', a.last_nonbasic_day,
                                          'threshold', coalesce(st.inactivity_threshold_days, 60)) order by pa.connection_id, pa.account_id) as apps,
             min(case when pa.method = 'confirmed' then pa.confidence else 1 end) as link_confidence,
             max(a.last_day + (coalesce(st.inactivity_threshold_days, 60) - 1)) as active_until,
             count(*)::int as accounts, count(*) filter (where a.seat)::int as seats,
             bool_and(coalesce(a.departed, false) or not coalesce(a.seat, false)) and bool_or(coalesce(a.departed, false)) as departed
      from person_accounts pa
      join connections c on c.id = pa.connection_id
      left join analytics_accounts a on a.connection_id = pa.connection_id and a.account_id = pa.account_id
      left join app_settings st on st.connection_id = pa.connection_id
      where pa.person_id in (${who})
      group by pa.person_id
    ) s
    where p.id = s.person_id and p.organization_id = ${organizationId}
      and (p.last_day, p.active_until, p.accounts, p.seats, p.departed, p.apps, p.link_confidence)
        is distinct from (s.last_day, s.active_until, s.accounts, s.seats, s.departed, s.apps, s.link_confidence)`.execute(db);
}
