import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { BASIC_RAW_FEATURES } from '../features.ts';
import { changedFactsSql, changesSql, type Changes } from './changes.ts';

/** How many of an account's most recent active days are kept: enough for the last week's daily counts. */
export const RECENT_DAYS = 8;

/**
 * Seats of a people-based app (Bitbucket): who holds one (a live workspace membership), who left (every
 * membership deleted), their role, Bitbucket's own last-access time and two-step flag. Rebuilt from the
 * member and permission records; rows that did not change are not written.
 */
export async function refreshSeats(db: Database, c: { id: string; organizationId: string }): Promise<void> {
  await sql`
    with memberships as (
      select m.data->'user'->>'uuid' as account_id, bool_or(m.deleted_at is null) as live,
             bool_and((m.data->'user'->>'has_2fa_enabled')::boolean) filter (where m.data->'user' ? 'has_2fa_enabled') as two_step
      from sync_records m where m.connection_id = ${c.id} and m.stream = 'members' group by 1
    ), permissions as (
      select p.data->'user'->>'uuid' as account_id,
             (array_agg(p.data->>'permission' order by case p.data->>'permission' when 'owner' then 0 when 'collaborator' then 1 else 2 end))[1] as role,
             max((p.data->>'last_accessed')::timestamptz) as last_accessed_at,
             bool_and((p.data->'user'->>'has_2fa_enabled')::boolean) filter (where p.data->'user' ? 'has_2fa_enabled') as two_step
      from sync_records p where p.connection_id = ${c.id} and p.stream = 'workspace_permissions' and p.deleted_at is null group by 1
    ), everyone as (
      select external_id as account_id from app_accounts where connection_id = ${c.id}
      union select account_id from memberships
    )
    insert into analytics_accounts as a (connection_id, account_id, organization_id, seat, departed, role, last_accessed_at, two_step)
    select ${c.id}, e.account_id, ${c.organizationId}, coalesce(m.live, false), coalesce(not m.live, false),
           coalesce(p.role, aa.role), p.last_accessed_at, coalesce(p.two_step, m.two_step)
    from everyone e
    left join memberships m using (account_id)
    left join permissions p using (account_id)
    left join app_accounts aa on aa.connection_id = ${c.id} and aa.external_id = e.account_id
    on conflict (connection_id, account_id) do update set seat = excluded.seat, departed = excluded.departed, role = excluded.role,
      last_accessed_at = excluded.last_accessed_at, two_step = excluded.two_step
    where (a.seat, a.departed, a.role, a.last_accessed_at, a.two_step) is distinct from (excluded.seat, excluded.departed, excluded.role, excluded.last_accessed_at, excluded.two_step)
  `.execute(db);
}

/**
 * Each account's activity summarised: first and last active day, last day with a non-basic feature, and
 * its most recent active days. Rebuilt for all of one connection's accounts by one scan of its facts (a
 * full pass); resource accounts (droplets) get rows too.
 */
export async function rebuildActivitySummary(db: Database, c: { id: string; organizationId: string }): Promise<void> {
  await sql`
    insert into analytics_accounts (connection_id, account_id, organization_id)
    select distinct ${c.id}::uuid, account_id, ${c.organizationId}::uuid from activity_daily where connection_id = ${c.id}
    on conflict do nothing`.execute(db);
  await sql`
    update analytics_accounts a set first_day = s.first_day, last_day = s.last_day, last_nonbasic_day = s.last_nonbasic_day, recent_days = s.recent_days
    from (
      select account_id, min(day) as first_day, max(day) as last_day, max(day) filter (where nonbasic) as last_nonbasic_day,
             array_agg(day order by day desc) filter (where n <= ${RECENT_DAYS}) as recent_days
      from (select account_id, day, nonbasic, row_number() over (partition by account_id order by day desc) as n
            from (select account_id, day, bool_or(feature <> all(${BASIC_RAW_FEATURES})) as nonbasic from activity_daily where connection_id = ${c.id} group by 1, 2) d) r
      group by account_id
    ) s
    where a.connection_id = ${c.id} and a.account_id = s.account_id`.execute(db);
  await sql`
    update analytics_accounts a set first_day = null, last_day = null, last_nonbasic_day = null, recent_days = '{}'
    where a.connection_id = ${c.id} and a.last_day is not null
      and not exists (select 1 from activity_daily d where d.connection_id = a.connection_id and d.account_id = a.account_id)`.execute(db);
}

/**
 * The same summary for the accounts whose facts changed (`changes`: (connection, account, day) triples of
 * any number of connections), by index lookups. What each changed day holds now is merged into the
 * summary kept on the account; its history is read again only where the kept days cannot answer: the
 * first day when a changed day is at or before it, the recent days when removed days leave fewer than are
 * kept, the last non-basic day when that day lost its non-basic facts.
 */
export async function refreshActivitySummary(db: Database, organizationId: string, changes: Changes): Promise<void> {
  if (!changes.accounts.length) return;
  // One upsert: an account seen for the first time gets its row, the others their summary merged.
  await sql`
    insert into analytics_accounts as a (connection_id, account_id, organization_id, first_day, recent_days, last_day, last_nonbasic_day)
    select m.connection_id, m.account_id, ${organizationId}::uuid,
      case when m.kept_first is null or m.kept_first >= m.min_day
        then (select d.day from activity_daily d where d.connection_id = m.connection_id and d.account_id = m.account_id order by d.day limit 1) else m.kept_first end,
      r.recent_days, r.recent_days[1],
      case when m.kept_nonbasic is null or m.kept_nonbasic <> all(m.days) then greatest(m.kept_nonbasic, m.nonbasic_day)
        when m.nonbasic_day >= m.kept_nonbasic then m.nonbasic_day
        else (select d.day from activity_daily d where d.connection_id = m.connection_id and d.account_id = m.account_id and d.feature <> all(${BASIC_RAW_FEATURES}) order by d.day desc limit 1) end
    from (
      select k.connection_id, k.account_id, k.min_day, k.days, k.nonbasic_day, coalesce(cardinality(a.recent_days), 0) < ${RECENT_DAYS} as complete,
             a.first_day as kept_first, a.recent_days[${RECENT_DAYS}] as kept_oldest, a.last_nonbasic_day as kept_nonbasic,
             array(select x from ((select unnest(a.recent_days) except select unnest(k.days)) union select unnest(k.active_days)) y(x) order by x desc limit ${RECENT_DAYS}) as merged
      from (
        select p.connection_id, p.account_id, min(p.day) as min_day, array_agg(p.day) as days, coalesce(array_agg(p.day) filter (where f.day is not null), '{}') as active_days,
               max(p.day) filter (where f.nonbasic) as nonbasic_day
        from ${changesSql(changes)}
        -- What each changed day holds now (nothing: the day is no longer active).
        left join (
          select d.connection_id, d.account_id, d.day, bool_or(d.feature <> all(${BASIC_RAW_FEATURES})) as nonbasic from ${changedFactsSql(changes)} d group by 1, 2, 3
        ) f on f.connection_id = p.connection_id and f.account_id = p.account_id and f.day = p.day
        group by p.connection_id, p.account_id
      ) k
      left join analytics_accounts a on a.connection_id = k.connection_id and a.account_id = k.account_id
      offset 0 -- kept as a subquery: inlined, \`merged\` would be computed once per use below
    ) m
    cross join lateral (
      select case when m.complete or (cardinality(m.merged) >= ${RECENT_DAYS} and m.merged[${RECENT_DAYS}] >= m.kept_oldest) then m.merged
        else array(select distinct d.day from activity_daily d where d.connection_id = m.connection_id and d.account_id = m.account_id order by d.day desc limit ${RECENT_DAYS}) end as recent_days
    ) r
    on conflict (connection_id, account_id) do update set first_day = excluded.first_day, recent_days = excluded.recent_days, last_day = excluded.last_day,
      last_nonbasic_day = excluded.last_nonbasic_day`.execute(db);
}
