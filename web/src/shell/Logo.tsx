import styles from './Logo.module.css';

/** Tally's mark (three rising tally bars) and wordmark. */
export function Logo({ size = 28, wordmark = true, inverted = false }: { size?: number; wordmark?: boolean; inverted?: boolean }) {
  return (
    <span className={`${styles.logo} ${inverted ? styles.inverted : ''}`}>
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill={inverted ? '#fff' : '#4f46e5'} />
        <rect x="8" y="15" width="3.5" height="9" rx="1.75" fill={inverted ? '#4f46e5' : '#fff'} />
        <rect x="14.25" y="10" width="3.5" height="14" rx="1.75" fill={inverted ? '#4f46e5' : '#fff'} />
        <rect x="20.5" y="6" width="3.5" height="18" rx="1.75" fill={inverted ? '#818cf8' : '#c7d2fe'} />
      </svg>
      {wordmark ? <span className={styles.wordmark}>Tally</span> : <span className="visually-hidden">Tally</span>}
    </span>
  );
}
