import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays } from '../dates.ts';

/**
 * Each feature's users (distinct accounts) and counts over the trailing 7, 30 and 90 days ending today,
 * for people-based apps; resource apps take theirs from the resources alive now (queries/features.ts).
 */
export async function refreshFeatureWindows(db: Database, connectionId: string, today: string): Promise<void> {
  await db.deleteFrom('app_feature_windows').where('connection_id', '=', connectionId).execute();
  await sql`
    with facts as (
      select case when feature like 'issue.%' then 'issue' else feature end as feature, account_id, count, ${today}::date - day as age
      from activity_daily
      where connection_id = ${connectionId} and day > ${addDays(today, -90)}::date and day <= ${today}::date and feature <> 'pipeline.build_seconds'
    )
    insert into app_feature_windows (connection_id, window_days, feature, users, count, as_of)
    select ${connectionId}, w, feature, count(distinct account_id), sum(count), ${today}::date
    from facts join (values (7), (30), (90)) as windows(w) on facts.age < windows.w
    group by w, feature`.execute(db);
}
