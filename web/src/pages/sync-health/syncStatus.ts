// What a connection's sync state means to a person: one status with a tone, and plain words for the
// engine's triggers and the providers' health events.
import type { ConnectionSyncHealth, SyncRun } from '../../api/sync.ts';

export type SyncState = 'running' | 'queued' | 'paused' | 'failing' | 'healthy' | 'never' | 'disconnected';

export interface SyncStateView {
  state: SyncState;
  label: string;
  tone: 'info' | 'brand' | 'warning' | 'danger' | 'success' | 'neutral';
}

const VIEWS: Record<SyncState, Omit<SyncStateView, 'state'>> = {
  running: { label: 'Syncing', tone: 'info' },
  queued: { label: 'Queued', tone: 'brand' },
  paused: { label: 'Paused: reconnect', tone: 'warning' },
  failing: { label: 'Last sync failed', tone: 'danger' },
  healthy: { label: 'Healthy', tone: 'success' },
  never: { label: 'Not synced yet', tone: 'neutral' },
  disconnected: { label: 'Disconnected', tone: 'neutral' },
};

/** The one state to show for a connection: what happens now first, then how the last run went. */
export function syncState(health: Pick<ConnectionSyncHealth, 'status' | 'running' | 'queued' | 'lastRun'>): SyncStateView {
  const state: SyncState =
    health.status === 'disconnected'
      ? 'disconnected'
      : health.running
        ? 'running'
        : health.queued
          ? 'queued'
          : health.status === 'needs_reconnect'
            ? 'paused'
            : !health.lastRun
              ? 'never'
              : health.lastRun.status === 'failed'
                ? 'failing'
                : 'healthy';
  return { state, ...VIEWS[state] };
}

/** True while the page should keep asking for news (a run is under way or about to start). */
export function syncInProgress(connections: readonly Pick<ConnectionSyncHealth, 'running' | 'queued'>[]): boolean {
  return connections.some((c) => c.running !== null || c.queued);
}

/** "schedule:activity" -> "Scheduled (activity)", "manual" -> "Sync now". */
export function triggerLabel(trigger: string): string {
  const [kind, detail] = trigger.split(':', 2);
  switch (kind) {
    case 'schedule':
      return detail ? `Scheduled (${detail})` : 'Scheduled';
    case 'manual':
      return 'Sync now';
    case 'cli':
      return 'Command line';
    case 'resume':
      return 'Resumed';
    default:
      return trigger;
  }
}

const EVENT_LABELS: Record<string, string> = {
  html_challenge: 'HTML challenge page',
  rate_limited: 'Rate limited',
  server_error: 'Server errors',
  budget_exhausted: 'Request budget used up',
};

/** `html_challenge` -> "HTML challenge page"; unknown kinds become words. */
export function eventLabel(kind: string): string {
  return EVENT_LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');
}

/** Records a run wrote, whichever way. */
export function recordsTouched(run: Pick<SyncRun, 'recordsAdded' | 'recordsUpdated' | 'recordsDeleted'>): number {
  return run.recordsAdded + run.recordsUpdated + run.recordsDeleted;
}

export const RUN_STATUS_VIEW: Record<SyncRun['status'], { label: string; tone: SyncStateView['tone'] }> = {
  running: { label: 'Running', tone: 'info' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  paused: { label: 'Paused', tone: 'warning' },
};
