import type { ReactNode } from 'react';
import { ArrowDownRight, ArrowRight, ArrowUpRight } from 'lucide-react';
import { formatPercent } from './numbers.ts';
import styles from './StatTile.module.css';

export interface StatTileProps {
  label: ReactNode;
  value: ReactNode;
  /** A line under the value: what the number covers, or a comparison. */
  detail?: ReactNode;
  /** A small chart beside the value (a sparkline). */
  chart?: ReactNode;
  icon?: ReactNode;
}

/** One headline number with its label, in a tile; tiles sit in a <StatGrid>. */
export function StatTile({ label, value, detail, chart, icon }: StatTileProps) {
  return (
    <div className={styles.tile}>
      <dt className={styles.label}>
        {icon ? (
          <span className={styles.icon} aria-hidden="true">
            {icon}
          </span>
        ) : null}
        {label}
      </dt>
      <dd className={styles.valueRow}>
        <span className={styles.value}>{value}</span>
        {chart ? <span className={styles.chart}>{chart}</span> : null}
      </dd>
      {detail ? <dd className={styles.detail}>{detail}</dd> : null}
    </div>
  );
}

/** A row of stat tiles that wraps to two columns, then one, on narrow screens. */
export function StatGrid({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl className={styles.grid} aria-label={label}>
      {children}
    </dl>
  );
}

export interface ChangeProps {
  /** The change as a ratio (0.12 = 12 % more), or null when there is nothing to compare with. */
  ratio: number | null;
  /** Which way is good news: spend going down, active people going up. */
  good: 'up' | 'down';
  /** What it is compared with: "vs. last month"; empty in a table whose header says it. */
  against: string;
  /** "+8.7%" instead of "Up 8.7%", for table cells. */
  compact?: boolean;
}

/** "▲ 12% vs. last month", coloured by whether the change is good news. */
export function Change({ ratio, good, against, compact = false }: ChangeProps) {
  if (ratio === null) return <span className={styles.flat}>{against ? 'Nothing to compare with yet' : '—'}</span>;
  const flat = Math.abs(ratio) < 0.005;
  const up = ratio > 0;
  const tone = flat ? styles.flat : up === (good === 'up') ? styles.good : styles.bad;
  const Icon = flat ? ArrowRight : up ? ArrowUpRight : ArrowDownRight;
  const amount = formatPercent(Math.abs(ratio), Math.abs(ratio) < 0.1 ? 1 : 0);
  const words = flat ? 'No change' : compact ? `${up ? '+' : '−'}${amount}` : `${up ? 'Up' : 'Down'} ${amount}`;
  return (
    <span className={`${styles.change} ${tone}`}>
      <span className={styles.words}>
        <Icon size={14} aria-hidden="true" />
        {words}
      </span>
      {against ? <span className={styles.against}> {against}</span> : null}
    </span>
  );
}
