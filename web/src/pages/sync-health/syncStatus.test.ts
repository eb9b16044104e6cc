import { describe, expect, it } from 'vitest';
import { eventLabel, recordsTouched, syncInProgress, syncState, triggerLabel } from './syncStatus.ts';

const finished = (status: 'succeeded' | 'failed') => ({ status }) as never;

describe('a connection’s sync state', () => {
  it('puts what happens now before how the last run went', () => {
    expect(syncState({ status: 'active', running: finished('succeeded'), queued: true, lastRun: finished('failed') }).state).toBe('running');
    expect(syncState({ status: 'active', running: null, queued: true, lastRun: finished('failed') }).state).toBe('queued');
    expect(syncState({ status: 'active', running: null, queued: false, lastRun: finished('failed') })).toEqual({ state: 'failing', label: 'Last sync failed', tone: 'danger' });
    expect(syncState({ status: 'active', running: null, queued: false, lastRun: finished('succeeded') }).state).toBe('healthy');
    expect(syncState({ status: 'active', running: null, queued: false, lastRun: null }).state).toBe('never');
  });

  it('says syncing is paused while the connection needs Reconnect', () => {
    expect(syncState({ status: 'needs_reconnect', running: null, queued: false, lastRun: finished('failed') }).label).toBe('Paused: reconnect');
    expect(syncState({ status: 'disconnected', running: null, queued: true, lastRun: null }).state).toBe('disconnected');
  });

  it('keeps polling only while a run is under way or queued', () => {
    expect(syncInProgress([{ running: null, queued: false }])).toBe(false);
    expect(syncInProgress([{ running: null, queued: false }, { running: null, queued: true }])).toBe(true);
  });

  it('names triggers and provider-health events in plain words', () => {
    expect(triggerLabel('schedule:billing')).toBe('Scheduled (billing)');
    expect(triggerLabel('manual')).toBe('Sync now');
    expect(triggerLabel('webhook')).toBe('webhook');
    expect(eventLabel('html_challenge')).toBe('HTML challenge page');
    expect(eventLabel('tls_failure')).toBe('Tls failure');
  });

  it('counts every record a run wrote', () => {
    expect(recordsTouched({ recordsAdded: 3, recordsUpdated: 2, recordsDeleted: 1 })).toBe(6);
  });
});
