// People, their linked accounts and their activity in the dashboard's words.
import type { LinkedAccount, PersonDetail, PersonStatus } from '../../api/analytics.ts';
import type { BadgeTone } from '../../ui/Badge.tsx';
import type { Bucket } from '../../charts/StackedBarChart.tsx';
import type { Series } from '../../charts/TimeSeriesChart.tsx';
import { PROVIDER_COLORS, seriesColor } from '../../charts/palette.ts';
import { addDays } from '../../ui/dateRange.ts';
import { formatPercent } from '../../ui/numbers.ts';

export const STATUS_VIEW: Record<PersonStatus, { label: string; tone: BadgeTone }> = {
  active: { label: 'Active', tone: 'success' },
  inactive: { label: 'Inactive', tone: 'warning' },
  never_seen: { label: 'Never seen', tone: 'neutral' },
  departed: { label: 'Departed', tone: 'neutral' },
};

export const METHOD_LABEL: Record<LinkedAccount['method'], string> = {
  email: 'Verified email',
  manual: 'Linked by an admin',
  confirmed: 'Confirmed by an admin',
  own: 'Its own person',
};

/** How sure Tally is that accounts belong together: certain, likely, or a guess worth checking. */
export function confidenceView(confidence: number): { label: string; tone: BadgeTone } {
  if (confidence >= 1) return { label: 'Certain', tone: 'success' };
  if (confidence >= 0.8) return { label: `Likely · ${formatPercent(confidence)}`, tone: 'info' };
  return { label: `Check · ${formatPercent(confidence)}`, tone: 'warning' };
}

const FEATURE_WORDS: Record<string, [string, string]> = {
  commit: ['commit', 'commits'],
  'pull_request.opened': ['pull request opened', 'pull requests opened'],
  'pull_request.merged': ['pull request merged', 'pull requests merged'],
  'pull_request.reviewed': ['review', 'reviews'],
  'pull_request.commented': ['pull request comment', 'pull request comments'],
  'pipeline.run': ['pipeline run', 'pipeline runs'],
  deployment: ['deployment', 'deployments'],
  issue: ['issue update', 'issue updates'],
};

/** "3 commits", "1 review", "2 pipeline runs"; unknown features in plain words. */
export function featureCount(feature: string, count: number): string {
  const words = FEATURE_WORDS[feature];
  if (words) return `${count} ${count === 1 ? words[0] : words[1]}`;
  return `${count} × ${feature.replace(/[._]/g, ' ')}`;
}

export interface TimelineDay {
  day: string;
  total: number;
  apps: Array<{ appId: string; entries: Array<{ feature: string; count: number }> }>;
}

/** The timeline grouped by day (newest first), then by app. */
export function timelineByDay(timeline: PersonDetail['timeline']): TimelineDay[] {
  const days = new Map<string, TimelineDay>();
  for (const entry of timeline) {
    let day = days.get(entry.day);
    if (!day) days.set(entry.day, (day = { day: entry.day, total: 0, apps: [] }));
    let app = day.apps.find((a) => a.appId === entry.appId);
    if (!app) day.apps.push((app = { appId: entry.appId, entries: [] }));
    app.entries.push({ feature: entry.feature, count: entry.count });
    day.total += entry.count;
  }
  return [...days.values()].sort((a, b) => b.day.localeCompare(a.day));
}

/** One bar per day of the range (days without activity at zero, so gaps show), stacked by app. */
export function timelineBuckets(
  timeline: PersonDetail['timeline'],
  apps: ReadonlyArray<{ appId: string; provider: string; name: string }>,
  range: { from: string; to: string },
): { data: Bucket[]; series: Series[] } {
  const appIds = [...new Set(timeline.map((t) => t.appId))];
  const series = appIds.map((appId, i) => {
    const app = apps.find((a) => a.appId === appId);
    return { key: appId, label: app?.name ?? 'Other app', color: (app && PROVIDER_COLORS[app.provider]) ?? seriesColor(i) };
  });
  const byDay = new Map(timelineByDay(timeline).map((d) => [d.day, d]));
  const data: Bucket[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    const bucket: Bucket = { bucket: day };
    for (const appId of appIds) bucket[appId] = byDay.get(day)?.apps.find((a) => a.appId === appId)?.entries.reduce((sum, e) => sum + e.count, 0) ?? 0;
    data.push(bucket);
  }
  return { data, series };
}
