import styles from './Charts.module.css';

export interface MeterProps {
  /** 0-1; more than 1 shows full (over-use). */
  ratio: number;
  label: string;
  /** The ratio as written, beside the bar. */
  valueText: string;
  /** Colour by how healthy the share is: low utilization is waste (amber), high is good. */
  tone?: 'good' | 'warning' | 'danger' | 'neutral';
}

/** A labelled horizontal gauge (utilization of seats), announced as a meter with its written value. */
export function Meter({ ratio, label, valueText, tone = 'neutral' }: MeterProps) {
  const clamped = Math.max(0, Math.min(1, ratio));
  return (
    <div className={styles.meter}>
      <div className={styles.meterTrack} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped * 100)} aria-valuetext={valueText}>
        <div className={`${styles.meterFill} ${styles[tone]}`} style={{ width: `${clamped * 100}%` }} />
      </div>
    </div>
  );
}

/** Utilization below 50 % is money spent on seats nobody uses; 50-80 % is worth a look. */
export function utilizationTone(ratio: number | null): MeterProps['tone'] {
  if (ratio === null) return 'neutral';
  if (ratio < 0.5) return 'danger';
  if (ratio < 0.8) return 'warning';
  return 'good';
}
