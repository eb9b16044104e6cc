import { describe, expect, it } from 'vitest';
import { confidenceView, featureCount, timelineBuckets, timelineByDay } from './peopleData.ts';

const TIMELINE = [
  { day: '2026-06-10', appId: 'bb', feature: 'commit', count: 3 },
  { day: '2026-06-12', appId: 'bb', feature: 'pull_request.reviewed', count: 1 },
  { day: '2026-06-10', appId: 'bb', feature: 'pipeline.run', count: 2 },
  { day: '2026-06-10', appId: 'do', feature: 'droplet', count: 1 },
];

describe('a person’s activity', () => {
  it('groups the timeline by day, newest first, then by app', () => {
    const days = timelineByDay(TIMELINE);
    expect(days.map((d) => [d.day, d.total])).toEqual([
      ['2026-06-12', 1],
      ['2026-06-10', 6],
    ]);
    expect(days[1]?.apps).toEqual([
      { appId: 'bb', entries: [{ feature: 'commit', count: 3 }, { feature: 'pipeline.run', count: 2 }] },
      { appId: 'do', entries: [{ feature: 'droplet', count: 1 }] },
    ]);
  });

  it('stacks every day of the range by app, oldest first, with quiet days at zero', () => {
    const { data, series } = timelineBuckets(TIMELINE, [{ appId: 'bb', provider: 'bitbucket', name: 'acme' }], { from: '2026-06-10', to: '2026-06-13' });
    expect(series.map((s) => s.label)).toEqual(['acme', 'Other app']);
    expect(data).toEqual([
      { bucket: '2026-06-10', bb: 5, do: 1 },
      { bucket: '2026-06-11', bb: 0, do: 0 },
      { bucket: '2026-06-12', bb: 1, do: 0 },
      { bucket: '2026-06-13', bb: 0, do: 0 },
    ]);
  });

  it('counts features in words', () => {
    expect(featureCount('commit', 1)).toBe('1 commit');
    expect(featureCount('pull_request.reviewed', 4)).toBe('4 reviews');
    expect(featureCount('snippet.created', 2)).toBe('2 × snippet created');
  });

  it('says how sure a link is', () => {
    expect(confidenceView(1).label).toBe('Certain');
    expect(confidenceView(0.8)).toEqual({ label: 'Likely · 80%', tone: 'info' });
    expect(confidenceView(0.6).tone).toBe('warning');
  });
});
