import { describe, expect, it } from 'vitest';
import { monthlyByApp, noSpend, ranked } from './spendData.ts';

const DO = { appId: 'a1', provider: 'digitalocean' as const, name: 'Acme team' };
const BB = { appId: 'a2', provider: 'bitbucket' as const, name: 'acme' };
const change = { amount: '0.00', ratio: null };
const byApp = [DO, BB].map((app) => ({ app, monthToDate: '0.00', forecastMonthEnd: '0.00', lastMonth: '0.00', change, costPerActiveUser: null }));

describe('spend for the charts', () => {
  it('stacks each month by app, with zero for an app that spent nothing that month', () => {
    const { data, series } = monthlyByApp({
      byApp,
      byMonth: [
        { month: '2026-05', amount: '120.50', byApp: [{ appId: 'a1', amount: '120.50' }] },
        { month: '2026-06', amount: '150.00', byApp: [{ appId: 'a1', amount: '100.00' }, { appId: 'a2', amount: '50.00' }] },
      ],
    });
    expect(series.map((s) => s.label)).toEqual(['Acme team', 'acme']);
    expect(series[0]?.color).toBe('#0069ff');
    expect(data).toEqual([
      { bucket: '2026-05', a1: 120.5, a2: 0 },
      { bucket: '2026-06', a1: 100, a2: 50 },
    ]);
  });

  it('keeps a series for spend of an app that is gone, and gives two apps of one provider two colours', () => {
    const second = { ...byApp[0]!, app: { ...DO, appId: 'a3', name: 'Other team' } };
    const { series } = monthlyByApp({ byApp: [byApp[0]!, second], byMonth: [{ month: '2026-06', amount: '1.00', byApp: [{ appId: 'gone', amount: '1.00' }] }] });
    expect(series.map((s) => s.label)).toEqual(['Acme team', 'Other team', 'Disconnected app']);
    expect(new Set(series.map((s) => s.color)).size).toBe(3);
  });

  it('ranks amounts by size with their share of the total', () => {
    const result = ranked([
      { product: 'Volumes', amount: '25.00' },
      { product: 'Droplets', amount: '75.00' },
    ]);
    expect(result.map((r) => [r.product, r.share])).toEqual([
      ['Droplets', 0.75],
      ['Volumes', 0.25],
    ]);
    expect(ranked([{ amount: '0.00' }])[0]?.share).toBe(0);
  });

  it('tells when nothing was billed yet', () => {
    expect(noSpend({ byMonth: [{ month: '2026-06', amount: '0.00', byApp: [] }], monthToDate: '0.00', lastMonth: '0.00' })).toBe(true);
    expect(noSpend({ byMonth: [], monthToDate: '0.01', lastMonth: '0.00' })).toBe(false);
  });
});
