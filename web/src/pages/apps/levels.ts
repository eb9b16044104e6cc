// Usage levels (docs/metrics.md) in the dashboard's words and colours, in order from best to worst.
import type { UsageLevel } from '../../api/analytics.ts';
import type { BadgeTone } from '../../ui/Badge.tsx';

export const USAGE_LEVELS: readonly UsageLevel[] = ['engaged', 'few_features', 'lapsing', 'inactive', 'never_active'];

export const LEVEL_VIEW: Record<UsageLevel, { label: string; tone: BadgeTone; color: string; description: string }> = {
  engaged: { label: 'Engaged', tone: 'success', color: '#12b76a', description: 'Active in the last 30 days, using more than the basics.' },
  few_features: { label: 'Few features', tone: 'info', color: '#2e90fa', description: 'Active in the last 30 days with only basic features: a downgrade candidate.' },
  lapsing: { label: 'Lapsing', tone: 'warning', color: '#f79009', description: 'Active within the inactivity threshold, but not in the last 30 days.' },
  inactive: { label: 'Inactive', tone: 'danger', color: '#f04438', description: 'No activity within the inactivity threshold: a seat to reclaim.' },
  never_active: { label: 'Never active', tone: 'neutral', color: '#98a2b3', description: 'A seat with no activity ever seen.' },
};

export const WINDOW_OPTIONS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
] as const;

export type WindowValue = (typeof WINDOW_OPTIONS)[number]['value'];

export function isWindow(value: string): value is WindowValue {
  return value === '7' || value === '30' || value === '90';
}
