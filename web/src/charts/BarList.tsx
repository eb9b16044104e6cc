import type { ReactNode } from 'react';
import styles from './Charts.module.css';
import { seriesColor } from './palette.ts';

export interface BarListItem {
  key: string;
  label: ReactNode;
  /** The number the bar's length shows. */
  amount: number;
  /** The number as written ("$1,234.50"). */
  value: string;
  /** Small text under the label (a share, a provider). */
  detail?: ReactNode;
  color?: string;
  href?: string;
}

/**
 * Ranked horizontal bars with their values written out (spend by app, by project): a plain list,
 * so it reads well without the picture and fits a phone.
 */
export function BarList({ items, label }: { items: BarListItem[]; label: string }) {
  const max = Math.max(0, ...items.map((i) => i.amount));
  return (
    <ol className={styles.barList} aria-label={label}>
      {items.map((item, index) => {
        const width = max > 0 ? Math.max(1.5, (item.amount / max) * 100) : 0;
        return (
          <li key={item.key} className={styles.barItem}>
            <div className={styles.barText}>
              <span className={styles.barLabel}>{item.label}</span>
              <span className={styles.barValue}>{item.value}</span>
            </div>
            <div className={styles.barTrack} aria-hidden="true">
              <div className={styles.barFill} style={{ width: `${width}%`, background: item.color ?? seriesColor(index) }} />
            </div>
            {item.detail ? <p className={styles.barDetail}>{item.detail}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
