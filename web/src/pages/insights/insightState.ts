// What can be done with an insight in each state, and how its state reads.
import type { Insight, InsightState } from '../../api/analytics.ts';
import type { BadgeTone } from '../../ui/Badge.tsx';
import { addDays, isoDay } from '../../ui/dateRange.ts';

export type InsightAction = 'resolved' | 'snoozed' | 'dismissed' | 'open';

export const ACTION_VIEW: Record<InsightAction, { label: string; verb: string; done: string }> = {
  resolved: { label: 'Resolve', verb: 'Resolve', done: 'resolved' },
  snoozed: { label: 'Snooze', verb: 'Snooze', done: 'snoozed' },
  dismissed: { label: 'Dismiss', verb: 'Dismiss', done: 'dismissed' },
  open: { label: 'Reopen', verb: 'Reopen', done: 'reopened' },
};

/** Open insights can be resolved, snoozed or dismissed; any other can be reopened. */
export function actionsFor(state: InsightState): InsightAction[] {
  return state === 'open' ? ['resolved', 'snoozed', 'dismissed'] : ['open'];
}

export const STATE_VIEW: Record<InsightState, { label: string; tone: BadgeTone }> = {
  open: { label: 'Open', tone: 'brand' },
  snoozed: { label: 'Snoozed', tone: 'info' },
  dismissed: { label: 'Dismissed', tone: 'neutral' },
  resolved: { label: 'Resolved', tone: 'success' },
};

const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** "Snoozed until Jul 15, 2026 by Olivia Owner", "Resolved by Olivia Owner", "Resolved: the condition is gone". */
export function stateLine(insight: Pick<Insight, 'state' | 'snoozedUntil' | 'stateChangedBy' | 'current'>): string | null {
  if (insight.state === 'open') return null;
  const by = insight.stateChangedBy ? ` by ${insight.stateChangedBy}` : '';
  if (insight.state === 'snoozed' && insight.snoozedUntil) return `Snoozed until ${day.format(new Date(`${insight.snoozedUntil}T00:00:00Z`))}${by}`;
  if (insight.state === 'resolved' && !insight.current && !insight.stateChangedBy) return 'Resolved: the condition no longer holds';
  return `${STATE_VIEW[insight.state].label}${by}`;
}

/** The first day a snooze may end on (tomorrow), and the suggested one (in 30 days). */
export function snoozeDays(now: Date = new Date()): { min: string; suggested: string } {
  const today = isoDay(now);
  return { min: addDays(today, 1), suggested: addDays(today, 30) };
}

export const KIND_LABELS: Record<Insight['kind'], string> = {
  inactive_seats: 'Inactive seats',
  idle_droplet: 'Idle droplet',
  unattached_volume: 'Unattached volume',
  old_snapshot: 'Old snapshot',
  droplet_without_firewall: 'No firewall',
  member_without_two_step: 'No two-step verification',
  unused_admin: 'Unused admin',
  spend_anomaly: 'Spend anomaly',
  connection_needs_reconnect: 'Needs Reconnect',
  sync_failed: 'Sync failed',
  provider_health: 'Provider health',
};
