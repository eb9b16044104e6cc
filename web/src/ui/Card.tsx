import { type ReactNode, useId } from 'react';
import styles from './Card.module.css';

export interface CardProps {
  /** Heading text; rendered as an h2 and used to label the section. */
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons on the heading's line. */
  actions?: ReactNode;
  /** Content flush with the card's edges (tables, lists). */
  flush?: boolean;
  footer?: ReactNode;
  tone?: 'default' | 'danger';
  id?: string;
  children?: ReactNode;
}

export function Card({ title, description, actions, flush = false, footer, tone = 'default', id, children }: CardProps) {
  const generatedId = useId();
  const headingId = title ? `${id ?? generatedId}-title` : undefined;
  return (
    <section className={`${styles.card} ${tone === 'danger' ? styles.danger : ''}`} aria-labelledby={headingId} id={id}>
      {title || actions ? (
        <header className={styles.header}>
          <div className={styles.heading}>
            {title ? (
              <h2 id={headingId} className={styles.title}>
                {title}
              </h2>
            ) : null}
            {description ? <p className={styles.description}>{description}</p> : null}
          </div>
          {actions ? <div className={styles.actions}>{actions}</div> : null}
        </header>
      ) : null}
      {children !== undefined ? <div className={flush ? styles.flush : styles.body}>{children}</div> : null}
      {footer ? <footer className={styles.footer}>{footer}</footer> : null}
    </section>
  );
}
