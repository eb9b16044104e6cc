import styles from './Charts.module.css';

export interface TooltipRow {
  key: string;
  label: string;
  color: string;
  value: string;
}

/** The box that follows the pointer (or the arrow keys) over a chart: the point's label and values. */
export function TooltipBox({ title, rows, total }: { title: string; rows: TooltipRow[]; total?: string | undefined }) {
  return (
    <div className={styles.tooltip}>
      <p className={styles.tooltipTitle}>{title}</p>
      <ul className={styles.tooltipRows}>
        {rows.map((row) => (
          <li key={row.key} className={styles.tooltipRow}>
            <span className={styles.swatch} style={{ background: row.color }} aria-hidden="true" />
            <span className={styles.tooltipLabel}>{row.label}</span>
            <span className={styles.tooltipValue}>{row.value}</span>
          </li>
        ))}
      </ul>
      {total ? (
        <p className={styles.tooltipTotal}>
          <span>Total</span>
          <span className={styles.tooltipValue}>{total}</span>
        </p>
      ) : null}
    </div>
  );
}

export interface LegendItem {
  key: string;
  label: string;
  color: string;
  /** "dashed" for a forecast or a limit drawn as a dashed line. */
  style?: 'solid' | 'dashed';
}

/** The series of a chart, above it; a list so screen readers hear what the colours stand for. */
export function Legend({ items }: { items: LegendItem[] }) {
  if (items.length < 2) return null;
  return (
    <ul className={styles.legend} aria-label="Legend">
      {items.map((item) => (
        <li key={item.key} className={styles.legendItem}>
          <span className={`${styles.swatch} ${item.style === 'dashed' ? styles.dashed : ''}`} style={{ background: item.style === 'dashed' ? undefined : item.color, borderColor: item.color }} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
