import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { longDateLabel, shortDateLabel } from './chartFormat.ts';
import { Legend, TooltipBox } from './ChartTooltip.tsx';
import styles from './Charts.module.css';
import { AXIS_TEXT_COLOR, GRID_COLOR, seriesColor } from './palette.ts';
import type { Series } from './TimeSeriesChart.tsx';

export type Bucket = { bucket: string } & Record<string, number | string | null>;

export interface StackedBarChartProps {
  title: string;
  summary: string;
  /** One bar per bucket (a month, a week), stacked by series (products, features). */
  data: Bucket[];
  series: Series[];
  formatValue: (value: number) => string;
  formatAxis?: (value: number) => string;
  formatX?: (value: string) => string;
  formatXLong?: (value: string) => string;
  height?: number;
}

/** Bars per month or week, stacked by what they are made of. */
export function StackedBarChart({ title, summary, data, series, formatValue, formatAxis = formatValue, formatX = shortDateLabel, formatXLong = longDateLabel, height = 260 }: StackedBarChartProps) {
  const colored = series.map((s, i) => ({ ...s, color: s.color ?? seriesColor(i) }));
  const last = colored.length - 1;
  return (
    <figure className={styles.figure}>
      <Legend items={colored.map((s) => ({ key: s.key, label: s.label, color: s.color }))} />
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height }}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} title={title} accessibilityLayer maxBarSize={48}>
            <CartesianGrid vertical={false} stroke={GRID_COLOR} />
            <XAxis dataKey="bucket" tickFormatter={formatX} tick={{ fill: AXIS_TEXT_COLOR, fontSize: 12 }} tickLine={false} axisLine={{ stroke: GRID_COLOR }} minTickGap={12} />
            <YAxis tickFormatter={formatAxis} tick={{ fill: AXIS_TEXT_COLOR, fontSize: 12 }} tickLine={false} axisLine={false} width={64} allowDecimals={false} />
            <Tooltip
              cursor={{ fill: 'rgb(99 102 241 / 0.06)' }}
              isAnimationActive={false}
              content={({ active, payload, label }) => {
                if (!active || !payload?.length) return null;
                const rows = colored
                  .map((s) => {
                    const value = payload.find((p) => p.dataKey === s.key)?.value;
                    return typeof value === 'number' && value !== 0 ? { key: s.key, label: s.label, color: s.color, value: formatValue(value) } : null;
                  })
                  .filter((r) => r !== null)
                  .reverse();
                const sum = payload.reduce((total, p) => total + (typeof p.value === 'number' ? p.value : 0), 0);
                return <TooltipBox title={formatXLong(String(label))} rows={rows} total={rows.length > 1 ? formatValue(sum) : undefined} />;
              }}
            />
            {colored.map((s, i) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="stack" fill={s.color} isAnimationActive={false} radius={i === last ? [4, 4, 0, 0] : 0} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
