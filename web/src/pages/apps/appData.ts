// An app's figures shaped for its charts and tables.
import type { AppDetail, AppMember, FeatureAdoption } from '../../api/analytics.ts';
import type { Bucket } from '../../charts/StackedBarChart.tsx';
import type { Point, Series } from '../../charts/TimeSeriesChart.tsx';
import { decimalToNumber } from '../../ui/numbers.ts';

/** Active people per day over the trailing 7, 30 and 90 days, with the seat count as a flat line. */
export function activeSeries(points: AppDetail['activeOverTime'], seats: number | null): { data: Point[]; series: Series[] } {
  const series: Series[] = [
    { key: 'active7', label: 'Active in 7 days', color: '#7a5af8' },
    { key: 'active30', label: 'Active in 30 days', color: '#4f46e5' },
    { key: 'active90', label: 'Active in 90 days', color: '#0e9384' },
  ];
  if (seats !== null) series.push({ key: 'seats', label: 'Seats', color: '#667085', dashed: true });
  const data = points.map((p) => ({ date: p.day, active7: p.active7, active30: p.active30, active90: p.active90, ...(seats !== null ? { seats } : {}) }));
  return { data, series };
}

/** Weekly users of each feature, one line per feature, weeks in order. */
export function featureWeeks(features: readonly FeatureAdoption[]): { data: Point[]; series: Series[] } {
  const weeks = [...new Set(features.flatMap((f) => f.weekly.map((w) => w.week)))].sort();
  const data = weeks.map((week) => {
    const point: Point = { date: week };
    for (const feature of features) point[feature.feature] = feature.weekly.find((w) => w.week === week)?.users ?? 0;
    return point;
  });
  return { data, series: features.map((f) => ({ key: f.feature, label: f.label })) };
}

/** Months oldest first, each stacked by product; products ordered by their total, largest at the bottom. */
export function invoiceBuckets(invoices: AppDetail['invoices']): { data: Bucket[]; series: Series[] } {
  const totals = new Map<string, number>();
  for (const month of invoices) for (const p of month.byProduct) totals.set(p.product, (totals.get(p.product) ?? 0) + decimalToNumber(p.amount));
  const products = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([product]) => product);
  const data = [...invoices]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((month) => {
      const bucket: Bucket = { bucket: month.month };
      for (const product of products) {
        const part = month.byProduct.find((p) => p.product === product);
        bucket[product] = part ? decimalToNumber(part.amount) : 0;
      }
      return bucket;
    });
  return { data, series: products.map((product) => ({ key: product, label: product })) };
}

/** The name to show for an app account: its name, else its nickname, else its email, else its id. */
export function memberName(member: Pick<AppMember, 'name' | 'nickname' | 'email' | 'accountId'>): string {
  return member.name ?? member.nickname ?? member.email ?? member.accountId;
}

/** The features that appear in any member's counts, in the order the app lists them. */
export function featureColumns(features: readonly Pick<FeatureAdoption, 'feature' | 'label'>[], members: readonly Pick<AppMember, 'featureCounts'>[]): { feature: string; label: string }[] {
  const seen = new Set(members.flatMap((m) => Object.keys(m.featureCounts)));
  const known = features.filter((f) => seen.has(f.feature)).map((f) => ({ feature: f.feature, label: f.label }));
  const extra = [...seen].filter((key) => !features.some((f) => f.feature === key)).sort().map((key) => ({ feature: key, label: key.replace(/[._]/g, ' ') }));
  return [...known, ...extra];
}
