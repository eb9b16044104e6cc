import { useId } from 'react';

export interface SparklineProps {
  values: readonly (number | null)[];
  /** What it shows, for assistive technology ("CPU over 30 days: 2% to 4%"); decorative when absent. */
  label?: string;
  color?: string;
  width?: number;
  height?: number;
  /** A shaded area under the line. */
  fill?: boolean;
}

/**
 * A tiny trend line in plain SVG: cheap enough for a row of a long table (hundreds of droplets),
 * where a full chart per row would not be.
 */
export function Sparkline({ values, label, color = '#4f46e5', width = 96, height = 28, fill = true }: SparklineProps) {
  const gradientId = useId();
  const points = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null && Number.isFinite(p.v));
  if (points.length < 2) {
    return (
      <svg width={width} height={height} role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
        <line x1={0} x2={width} y1={height - 2} y2={height - 2} stroke="#cfd4dd" strokeDasharray="2 3" />
      </svg>
    );
  }
  const min = Math.min(...points.map((p) => p.v));
  const max = Math.max(...points.map((p) => p.v));
  const span = max - min || 1;
  const step = width / Math.max(1, values.length - 1);
  const pad = 2;
  const xy = points.map((p) => [p.i * step, pad + (height - 2 * pad) * (1 - (p.v - min) / span)] as const);
  const line = xy.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
  const first = xy[0]!;
  const lastPoint = xy[xy.length - 1]!;
  const area = `${line}L${lastPoint[0].toFixed(1)},${height}L${first[0].toFixed(1)},${height}Z`;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      {fill ? (
        <>
          <defs>
            <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
              <stop offset="0%" stopColor={color} stopOpacity={0.22} />
              <stop offset="100%" stopColor={color} stopOpacity={0} />
            </linearGradient>
          </defs>
          <path d={area} fill={`url(#${CSS.escape(gradientId)})`} />
        </>
      ) : null}
      <path d={line} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
      <circle cx={lastPoint[0]} cy={lastPoint[1]} r={2} fill={color} />
    </svg>
  );
}
