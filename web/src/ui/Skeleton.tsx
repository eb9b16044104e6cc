import type { CSSProperties } from 'react';
import styles from './Skeleton.module.css';

/** A grey placeholder bar while data loads; the region around it carries aria-busy. */
export function Skeleton({ width = '100%', height = 12, radius, style }: { width?: number | string; height?: number; radius?: number; style?: CSSProperties }) {
  return <span className={styles.skeleton} style={{ width, height, borderRadius: radius, ...style }} aria-hidden="true" />;
}
