import { sql } from 'kysely';
import type { AppSummary, UsageLevel } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { addDays, monthStart, addMonths } from '../dates.ts';
import { isPeopleBased } from '../features.ts';
import { usageLevelSql } from '../levels.ts';
import { money } from '../money.ts';

const PROVIDER_NAMES: Record<string, string> = { bitbucket: 'Bitbucket', digitalocean: 'DigitalOcean' };

/** "Bitbucket · Acme", "DigitalOcean · Acme Infra": the provider and the workspace or team connected. */
export function appName(provider: string, account: unknown): string {
  const a = (account ?? {}) as { name?: string; workspaces?: Array<{ name?: string; slug?: string }> };
  const what = provider === 'bitbucket' ? (a.workspaces?.map((w) => w.name ?? w.slug).join(', ') || a.name) : a.name;
  const name = PROVIDER_NAMES[provider] ?? provider;
  return what ? `${name} · ${what}` : name;
}

/**
 * The connections the analytics show and recompute: all but those disconnected with their synced data
 * deleted (src/connections/synced-data.ts), which have nothing left to show. `c`: the connections table's alias.
 */
export const showsData = (c: string) => sql<boolean>`(${sql.ref(`${c}.status`)} <> 'disconnected' or ${sql.ref(`${c}.data_deleted_at`)} is null)`;

const zeroLevels = (): Record<UsageLevel, number> => ({ engaged: 0, few_features: 0, lapsing: 0, inactive: 0, never_active: 0 });

/**
 * Every app of an organization (or one) as the apps list shows it, as of `today` over `window` days.
 * Seat and level counts come from one aggregate over the accounts table; spend from the monthly rollup.
 */
export async function loadApps(db: Database, organizationId: string, today: string, windowDays: number, appId?: string): Promise<AppSummary[]> {
  const windowStart = addDays(today, -(windowDays - 1));
  const thisMonth = monthStart(today);
  const lastMonth = addMonths(thisMonth, -1);
  const apps = (
    await sql<{
      id: string; provider: ProviderSlug; account: unknown; status: AppSummary['connectionStatus']; plan_name: string | null; price_per_seat: string | null;
      seat_count_override: number | null; renewal_date: string | null; computed_at: Date | null; run_status: AppSummary['lastSyncStatus']; run_at: Date | null;
      mtd: string | null; last_month: string | null; resources: number; daily_active: number | null;
      kept: boolean; engaged: number | null; few_features: number | null; lapsing: number | null; inactive: number | null; never_active: number | null; kept_active: number | null;
    }>`
      with m as (
        select connection_id, sum(amount) filter (where month = ${thisMonth}::date)::text as mtd,
               sum(amount) filter (where month = ${lastMonth}::date and source <> 'preview')::text as last_month
        from spend_monthly where organization_id = ${organizationId} and month in (${thisMonth}::date, ${lastMonth}::date) group by 1
      ), r as (
        -- Counted by the recompute (the resources' rows change every day: counting them reads them all).
        select connection_id, sum(alive)::int as n from app_resource_counts
        where connection_id in (select id from connections where organization_id = ${organizationId}) group by 1
      )
      select c.id, c.provider, c.account, c.status, s.plan_name, s.price_per_seat, s.seat_count_override, s.renewal_date, st.computed_at,
        run.status as run_status, run.started_at as run_at, m.mtd, m.last_month, coalesce(r.n, 0) as resources,
        (select case ${windowDays}::int when 7 then active7 when 90 then active90 else active30 end
           from app_daily_active d where d.connection_id = c.id and d.day <= ${today}::date order by d.day desc limit 1) as daily_active,
        -- Today's seat and level counts, as the recompute kept them (an app not recomputed today is counted live below).
        k.connection_id is not null as kept, k.engaged, k.few_features, k.lapsing, k.inactive, k.never_active,
        case ${windowDays}::int when 7 then k.active7 when 90 then k.active90 else k.active30 end as kept_active
      from connections c
      left join app_stats k on k.connection_id = c.id and k.as_of = ${today}::date
      left join app_settings s on s.connection_id = c.id
      left join analytics_state st on st.connection_id = c.id
      left join lateral (select status, started_at from sync_runs sr where sr.connection_id = c.id order by started_at desc limit 1) run on true
      left join m on m.connection_id = c.id
      left join r on r.connection_id = c.id
      where c.organization_id = ${organizationId} and ${showsData('c')} ${appId ? sql`and c.id = ${appId}` : sql``}
      order by c.provider, c.created_at`.execute(db)
  ).rows;
  const kept = apps.filter((a) => a.kept);
  const stale = apps.filter((a) => isPeopleBased(a.provider) && !a.kept).map((a) => a.id);
  const levels = [
    ...kept.flatMap((k) => (['engaged', 'few_features', 'lapsing', 'inactive', 'never_active'] as const).map((level) => ({ connection_id: k.id, level, seats: k[level] ?? 0, active: 0 }))),
    ...kept.map((k) => ({ connection_id: k.id, level: null, seats: 0, active: k.kept_active ?? 0 })),
    ...(stale.length
      ? (
          await sql<{ connection_id: string; level: UsageLevel; seats: number; active: number }>`
            select a.connection_id, ${usageLevelSql(today, sql.ref('threshold'))} as level, count(*)::int as seats,
                   count(*) filter (where a.last_day >= ${windowStart}::date)::int as active
            from (select a.*, coalesce(s.inactivity_threshold_days, 60) as threshold from analytics_accounts a left join app_settings s on s.connection_id = a.connection_id
                  where a.connection_id = any(${stale}::uuid[]) and a.seat) a
            group by 1, 2`.execute(db)
        ).rows
      : []),
  ];
  return apps.map((a) => {
    const peopleBased = isPeopleBased(a.provider);
    const usageLevels = zeroLevels();
    let memberSeats = 0;
    let active = 0;
    for (const l of levels.filter((x) => x.connection_id === a.id)) {
      if (l.level) usageLevels[l.level] += l.seats;
      memberSeats += l.seats;
      active += l.active;
    }
    const seats = a.seat_count_override ?? (peopleBased ? memberSeats : null);
    if (!peopleBased) active = a.daily_active ?? 0;
    return {
      appId: a.id,
      provider: a.provider,
      name: appName(a.provider, a.account),
      connectionStatus: a.status,
      peopleBased,
      planName: a.plan_name,
      seats,
      seatSource: a.seat_count_override !== null ? 'override' : peopleBased ? 'provider' : 'none',
      active,
      inactiveSeats: seats === null ? null : Math.max(0, seats - active),
      utilization: seats ? Math.min(1, active / seats) : null,
      usageLevels,
      resources: a.resources,
      spendMonthToDate: money(a.mtd),
      spendLastMonth: money(a.last_month),
      pricePerSeat: a.price_per_seat === null ? null : money(a.price_per_seat),
      renewalDate: a.renewal_date,
      lastSyncAt: a.run_at?.toISOString() ?? null,
      lastSyncStatus: a.run_status,
      computedAt: a.computed_at?.toISOString() ?? null,
    };
  });
}
