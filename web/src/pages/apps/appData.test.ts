import { describe, expect, it } from 'vitest';
import { activeSeries, featureColumns, featureWeeks, invoiceBuckets, memberName } from './appData.ts';

const feature = (key: string, weekly: Array<[string, number]>) =>
  ({ feature: key, label: key.toUpperCase(), weekly: weekly.map(([week, users]) => ({ week, users, count: users * 2 })) }) as never;

describe('an app’s charts', () => {
  it('draws active people in three windows and the seats as a line', () => {
    const { data, series } = activeSeries([{ day: '2026-06-14', active7: 5, active30: 9, active90: 12 }], 25);
    expect(series.map((s) => s.key)).toEqual(['active7', 'active30', 'active90', 'seats']);
    expect(series.at(-1)?.dashed).toBe(true);
    expect(data).toEqual([{ date: '2026-06-14', active7: 5, active30: 9, active90: 12, seats: 25 }]);
    expect(activeSeries([], null).series).toHaveLength(3);
  });

  it('lines up every feature on the same weeks, with 0 for a week a feature was not used', () => {
    const { data, series } = featureWeeks([feature('commit', [['2026-06-08', 4], ['2026-06-01', 3]]), feature('pipeline.run', [['2026-06-08', 1]])]);
    expect(series.map((s) => s.label)).toEqual(['COMMIT', 'PIPELINE.RUN']);
    expect(data).toEqual([
      { date: '2026-06-01', commit: 3, 'pipeline.run': 0 },
      { date: '2026-06-08', commit: 4, 'pipeline.run': 1 },
    ]);
  });

  it('stacks invoices by product, oldest month first, largest product first', () => {
    const { data, series } = invoiceBuckets([
      { month: '2026-05', total: '30.00', source: 'invoice', byProduct: [{ product: 'Volumes', amount: '10.00' }, { product: 'Droplets', amount: '20.00' }] },
      { month: '2026-04', total: '25.00', source: 'invoice', byProduct: [{ product: 'Droplets', amount: '25.00' }] },
    ]);
    expect(series.map((s) => s.key)).toEqual(['Droplets', 'Volumes']);
    expect(data).toEqual([
      { bucket: '2026-04', Droplets: 25, Volumes: 0 },
      { bucket: '2026-05', Droplets: 20, Volumes: 10 },
    ]);
  });
});

describe('an app’s members', () => {
  it('names an account by whatever it has', () => {
    expect(memberName({ name: null, nickname: 'ann', email: 'a@x.test', accountId: '{1}' })).toBe('ann');
    expect(memberName({ name: null, nickname: null, email: null, accountId: '{1}' })).toBe('{1}');
  });

  it('makes a column for every feature someone used, known ones in the app’s order', () => {
    const columns = featureColumns(
      [
        { feature: 'commit', label: 'Commits' },
        { feature: 'deployment', label: 'Deployments' },
        { feature: 'pull_request.opened', label: 'Pull requests opened' },
      ],
      [{ featureCounts: { 'pull_request.opened': 2, commit: 1 } }, { featureCounts: { 'issue.comment': 1 } }],
    );
    expect(columns).toEqual([
      { feature: 'commit', label: 'Commits' },
      { feature: 'pull_request.opened', label: 'Pull requests opened' },
      { feature: 'issue.comment', label: 'issue comment' },
    ]);
  });
});
