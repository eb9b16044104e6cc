// Spend figures shaped for the charts: money stays a decimal string until the last step, where a
// chart needs a number to draw.
import type { SpendSummary } from '../../api/analytics.ts';
import type { Bucket } from '../../charts/StackedBarChart.tsx';
import type { Series } from '../../charts/TimeSeriesChart.tsx';
import { PROVIDER_COLORS, seriesColor } from '../../charts/palette.ts';
import { compareDecimals, decimalToNumber, sumDecimals } from '../../ui/numbers.ts';

/** One bar per month, stacked by app; apps named and coloured as on every page. */
export function monthlyByApp(summary: Pick<SpendSummary, 'byMonth' | 'byApp'>): { data: Bucket[]; series: Series[] } {
  const apps = summary.byApp.map((a) => a.app);
  const known = new Set(apps.map((a) => a.appId));
  // An app that has spend in a month but no longer appears in byApp (disconnected) still gets a series.
  for (const month of summary.byMonth) for (const part of month.byApp) if (!known.has(part.appId)) {
    known.add(part.appId);
    apps.push({ appId: part.appId, provider: 'digitalocean', name: 'Disconnected app' });
  }
  const usedColors = new Set<string>();
  const series = apps.map((app, index) => {
    // Two apps of the same provider cannot share its colour.
    const providerColor = PROVIDER_COLORS[app.provider];
    const color = providerColor && !usedColors.has(providerColor) ? providerColor : seriesColor(index + 2);
    usedColors.add(color);
    return { key: app.appId, label: app.name, color };
  });
  const data = summary.byMonth.map((month) => {
    const bucket: Bucket = { bucket: month.month };
    for (const app of apps) {
      const part = month.byApp.find((p) => p.appId === app.appId);
      bucket[app.appId] = part ? decimalToNumber(part.amount) : 0;
    }
    return bucket;
  });
  return { data, series };
}

/** Named amounts, largest first, with each one's share of the total (0..1). */
export function ranked<T extends { amount: string }>(items: readonly T[]): Array<T & { share: number }> {
  const total = decimalToNumber(sumDecimals(items.map((i) => i.amount)));
  return [...items]
    .sort((a, b) => compareDecimals(b.amount, a.amount))
    .map((item) => ({ ...item, share: total > 0 ? decimalToNumber(item.amount) / total : 0 }));
}

/** True when every month in the summary is zero: nothing billed yet. */
export function noSpend(summary: Pick<SpendSummary, 'byMonth' | 'monthToDate' | 'lastMonth'>): boolean {
  return compareDecimals(sumDecimals(summary.byMonth.map((m) => m.amount)), '0') === 0 && compareDecimals(summary.monthToDate, '0') === 0 && compareDecimals(summary.lastMonth, '0') === 0;
}
