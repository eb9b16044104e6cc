import { sql, type RawBuilder } from 'kysely';
import type { UsageLevel } from '../api/contracts/analytics.ts';
import { addDays } from './dates.ts';

/** Activity within this many days (ending today) is recent: `engaged` or `few_features`. */
export const ENGAGED_DAYS = 30;
export const DEFAULT_INACTIVITY_DAYS = 60;

export type LevelInput = { lastDay: string | null; lastNonBasicDay: string | null; thresholdDays: number; today: string };

/**
 * Usage level of one account (docs/metrics.md):
 * never_active: no activity ever; engaged: activity in the last 30 days including a non-basic feature;
 * few_features: activity in the last 30 days, basic features only; inactive: nothing within the app's
 * threshold (default 60 days); lapsing: last activity between 30 days and the threshold ago.
 */
export function usageLevel({ lastDay, lastNonBasicDay, thresholdDays, today }: LevelInput): UsageLevel {
  if (lastDay === null) return 'never_active';
  const recentFrom = addDays(today, -(ENGAGED_DAYS - 1));
  if (lastDay >= recentFrom) return lastNonBasicDay !== null && lastNonBasicDay >= recentFrom ? 'engaged' : 'few_features';
  if (lastDay < addDays(today, -(Math.max(thresholdDays, ENGAGED_DAYS) - 1))) return 'inactive';
  return 'lapsing';
}

/** The same rule in SQL, over columns `last_day`, `last_nonbasic_day` of `a` and the threshold expression. */
export function usageLevelSql(today: string, threshold: RawBuilder<number> | ReturnType<typeof sql.ref>): RawBuilder<UsageLevel> {
  const recentFrom = addDays(today, -(ENGAGED_DAYS - 1));
  return sql<UsageLevel>`case
    when a.last_day is null then 'never_active'
    when a.last_day >= ${recentFrom}::date then case when a.last_nonbasic_day >= ${recentFrom}::date then 'engaged' else 'few_features' end
    when a.last_day < ${today}::date - (greatest(${threshold}, ${ENGAGED_DAYS}) - 1) then 'inactive'
    else 'lapsing' end`;
}
