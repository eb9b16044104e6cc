import type { UsageLevel } from '../../api/analytics.ts';
import { formatCount } from '../../ui/numbers.ts';
import styles from './Apps.module.css';
import { LEVEL_VIEW, USAGE_LEVELS } from './levels.ts';

/**
 * How an app's seats split by usage level, as one stacked bar with a legend that writes the counts:
 * the legend carries the numbers, so the bar itself is decorative.
 */
export function LevelBar({ counts, compact = false }: { counts: Record<UsageLevel, number>; compact?: boolean }) {
  const total = USAGE_LEVELS.reduce((sum, level) => sum + counts[level], 0);
  return (
    <div className={styles.levelBar}>
      <div className={styles.levelTrack} aria-hidden="true">
        {total > 0
          ? USAGE_LEVELS.filter((l) => counts[l] > 0).map((level) => (
              <span key={level} style={{ width: `${(counts[level] / total) * 100}%`, background: LEVEL_VIEW[level].color }} title={`${LEVEL_VIEW[level].label}: ${counts[level]}`} />
            ))
          : null}
      </div>
      <ul className={`${styles.levelLegend} ${compact ? styles.levelLegendCompact : ''}`} aria-label="Seats by usage level">
        {USAGE_LEVELS.filter((l) => !compact || counts[l] > 0).map((level) => (
          <li key={level} title={LEVEL_VIEW[level].description}>
            <span className={styles.levelDot} style={{ background: LEVEL_VIEW[level].color }} aria-hidden="true" />
            {LEVEL_VIEW[level].label} <strong>{formatCount(counts[level])}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
