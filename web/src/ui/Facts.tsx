import type { ReactNode } from 'react';
import styles from './Facts.module.css';

/** Labelled facts in a responsive grid (a connection's account, an app's client id), as a description list. */
export function Facts({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl className={styles.facts} aria-label={label}>
      {children}
    </dl>
  );
}

/** One fact; `wide` spans the whole row (lists of scopes, long URLs). */
export function Fact({ label, wide = false, children }: { label: ReactNode; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`${styles.fact} ${wide ? styles.wide : ''}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Secondary text inside a fact (an email under a name, "by Olivia"). */
export function FactNote({ children }: { children: ReactNode }) {
  return <span className={styles.note}>{children}</span>;
}
