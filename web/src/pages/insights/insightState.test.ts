import { describe, expect, it } from 'vitest';
import { actionsFor, snoozeDays, stateLine } from './insightState.ts';

describe('an insight’s state', () => {
  it('offers resolve, snooze and dismiss while open, and reopen after', () => {
    expect(actionsFor('open')).toEqual(['resolved', 'snoozed', 'dismissed']);
    expect(actionsFor('snoozed')).toEqual(['open']);
    expect(actionsFor('resolved')).toEqual(['open']);
  });

  it('says who decided and until when', () => {
    expect(stateLine({ state: 'open', snoozedUntil: null, stateChangedBy: null, current: true })).toBeNull();
    expect(stateLine({ state: 'snoozed', snoozedUntil: '2026-07-15', stateChangedBy: 'Olivia Owner', current: true })).toBe('Snoozed until Jul 15, 2026 by Olivia Owner');
    expect(stateLine({ state: 'dismissed', snoozedUntil: null, stateChangedBy: 'Olivia Owner', current: true })).toBe('Dismissed by Olivia Owner');
    expect(stateLine({ state: 'resolved', snoozedUntil: null, stateChangedBy: null, current: false })).toBe('Resolved: the condition no longer holds');
  });

  it('lets a snooze end tomorrow at the earliest and suggests a month', () => {
    expect(snoozeDays(new Date('2026-06-15T22:00:00Z'))).toEqual({ min: '2026-06-16', suggested: '2026-07-15' });
  });
});
