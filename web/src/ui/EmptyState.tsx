import type { ReactNode } from 'react';
import styles from './EmptyState.module.css';

export interface EmptyStateProps {
  icon?: ReactNode;
  title: ReactNode;
  /** What this will show and what to do next. */
  children?: ReactNode;
  action?: ReactNode;
  compact?: boolean;
  /** Heading level for the title inside the surrounding outline. */
  headingLevel?: 2 | 3;
  /** 'danger' when the state is a failure (ErrorState). */
  tone?: 'default' | 'danger';
}

export function EmptyState({ icon, title, children, action, compact = false, headingLevel = 3, tone = 'default' }: EmptyStateProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={`${styles.empty} ${compact ? styles.compact : ''}`}>
      {icon ? (
        <div className={`${styles.icon} ${tone === 'danger' ? styles.danger : ''}`} aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <Heading className={styles.title}>{title}</Heading>
      {children ? <div className={styles.text}>{children}</div> : null}
      {action ? <div className={styles.action}>{action}</div> : null}
    </div>
  );
}
