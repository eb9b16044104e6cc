import { Skeleton } from './Skeleton.tsx';
import styles from './LoadingBlock.module.css';

/**
 * The shape of a dashboard while its data loads: a row of tiles and a chart-sized block per `panels`,
 * announced once as "Loading <what>…".
 */
export function LoadingBlock({ what, tiles = 4, panels = 2 }: { what: string; tiles?: number; panels?: number }) {
  return (
    <div className={styles.block} aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading {what}…
      </span>
      {tiles > 0 ? (
        <div className={styles.tiles}>
          {Array.from({ length: tiles }, (_, i) => (
            <div key={i} className={styles.tile}>
              <Skeleton width="45%" height={12} />
              <Skeleton width="70%" height={26} style={{ marginTop: 12 }} />
              <Skeleton width="55%" height={10} style={{ marginTop: 12 }} />
            </div>
          ))}
        </div>
      ) : null}
      {Array.from({ length: panels }, (_, i) => (
        <div key={i} className={styles.panel}>
          <Skeleton width="30%" height={14} />
          <Skeleton width="100%" height={180} radius={8} style={{ marginTop: 20 }} />
        </div>
      ))}
    </div>
  );
}
