import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { longDateLabel, shortDateLabel } from './chartFormat.ts';
import { Legend, TooltipBox } from './ChartTooltip.tsx';
import styles from './Charts.module.css';
import { AXIS_TEXT_COLOR, GRID_COLOR, seriesColor } from './palette.ts';

export interface Series {
  key: string;
  label: string;
  color?: string;
  /** Drawn dashed (a forecast, a seat limit). */
  dashed?: boolean;
}

export type Point = { date: string } & Record<string, number | string | null>;

export interface TimeSeriesChartProps {
  /** Names the chart for assistive technology. */
  title: string;
  /** One sentence with the gist ("Active people rose from 18 to 21"), read instead of the picture. */
  summary: string;
  data: Point[];
  series: Series[];
  /** Formats values on the axis (short) and in the tooltip. */
  formatValue: (value: number) => string;
  formatAxis?: (value: number) => string;
  /** Area charts stack their series (spend by app); line charts overlay them (seats vs. active). */
  kind?: 'area' | 'line';
  stacked?: boolean;
  height?: number;
  /** How x values are labelled: days by default, or a custom labeller (weeks, months). */
  formatX?: (value: string) => string;
  formatXLong?: (value: string) => string;
}

/** A chart over time: days or months along the bottom, one or more series. */
export function TimeSeriesChart({ title, summary, data, series, formatValue, formatAxis = formatValue, kind = 'area', stacked = false, height = 260, formatX = shortDateLabel, formatXLong = longDateLabel }: TimeSeriesChartProps) {
  const colored = series.map((s, i) => ({ ...s, color: s.color ?? seriesColor(i) }));
  const common = {
    data,
    margin: { top: 8, right: 8, bottom: 0, left: 0 },
    title,
    accessibilityLayer: true,
  };
  const axes = [
    <CartesianGrid key="grid" vertical={false} stroke={GRID_COLOR} />,
    <XAxis key="x" dataKey="date" tickFormatter={formatX} tick={{ fill: AXIS_TEXT_COLOR, fontSize: 12 }} tickLine={false} axisLine={{ stroke: GRID_COLOR }} minTickGap={24} />,
    <YAxis key="y" tickFormatter={formatAxis} tick={{ fill: AXIS_TEXT_COLOR, fontSize: 12 }} tickLine={false} axisLine={false} width={64} allowDecimals={false} />,
    <Tooltip
      key="tooltip"
      cursor={{ stroke: '#9aa3b2', strokeDasharray: '3 3' }}
      isAnimationActive={false}
      content={({ active, payload, label }) => {
        if (!active || !payload?.length) return null;
        const rows = colored
          .map((s) => {
            const entry = payload.find((p) => p.dataKey === s.key);
            const value = entry?.value;
            return typeof value === 'number' ? { key: s.key, label: s.label, color: s.color, value: formatValue(value) } : null;
          })
          .filter((r) => r !== null);
        const sum = stacked ? payload.reduce((total, p) => total + (typeof p.value === 'number' ? p.value : 0), 0) : null;
        return <TooltipBox title={formatXLong(String(label))} rows={rows} total={sum !== null && rows.length > 1 ? formatValue(sum) : undefined} />;
      }}
    />,
  ];

  return (
    <figure className={styles.figure}>
      <Legend items={colored.map((s) => ({ key: s.key, label: s.label, color: s.color, style: s.dashed ? 'dashed' : 'solid' }))} />
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height }}>
          {kind === 'area' ? (
            <AreaChart {...common}>
              {axes}
              {colored.map((s) => (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  type="monotone"
                  stackId={stacked ? 'stack' : undefined}
                  stroke={s.color}
                  strokeWidth={2}
                  strokeDasharray={s.dashed ? '5 4' : undefined}
                  fill={s.color}
                  fillOpacity={stacked ? 0.22 : 0.1}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </AreaChart>
          ) : (
            <LineChart {...common}>
              {axes}
              {colored.map((s) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  type="monotone"
                  stroke={s.color}
                  strokeWidth={2}
                  strokeDasharray={s.dashed ? '5 4' : undefined}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          )}
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
