import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays } from '../dates.ts';

/**
 * Each feature's users (distinct accounts) and counts over the trailing 7, 30 and 90 days ending today,
 * for people-based apps: members only (current or departed), like the active counts. Resource apps take
 * theirs from the resources alive now (queries/apps.ts).
 */
export async function refreshFeatureWindows(db: Database, connectionId: string, today: string): Promise<void> {
  await db.deleteFrom('app_feature_windows').where('connection_id', '=', connectionId).execute();
  await sql`
    with facts as (
      select case when d.feature like 'issue.%' then 'issue' else d.feature end as feature, d.account_id, d.count, ${today}::date - d.day as age
      from activity_daily d
      where d.connection_id = ${connectionId} and d.day > ${addDays(today, -90)}::date and d.day <= ${today}::date and d.feature <> 'pipeline.build_seconds'
        and exists (select 1 from analytics_accounts a where a.connection_id = d.connection_id and a.account_id = d.account_id and (a.seat or a.departed))
    )
    insert into app_feature_windows (connection_id, window_days, feature, users, count, as_of)
    select ${connectionId}, w, feature, count(distinct account_id), sum(count), ${today}::date
    from facts join (values (7), (30), (90)) as windows(w) on facts.age < windows.w
    group by w, feature`.execute(db);
}
