import { type ReactNode, useEffect, useRef } from 'react';
import styles from './Page.module.css';

export interface PageProps {
  title: string;
  /** Small text above the title: the section (e.g. "Settings"). */
  eyebrow?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Extra parts of the browser tab's title, after the page title (e.g. the organization). */
  documentTitle?: string[];
  children: ReactNode;
}

let firstPageShown = false;

/** A page inside the app shell: header with title and actions, then content; sets the tab title. */
export function Page({ title, eyebrow, description, actions, documentTitle = [], children }: PageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const tabTitle = [title, ...documentTitle, 'Tally'].join(' · ');

  useEffect(() => {
    document.title = tabTitle;
  }, [tabTitle]);

  useEffect(() => {
    // After client-side navigation, move focus to the new page's title so screen-reader and
    // keyboard users start there (as after a full page load); not on the very first page.
    if (firstPageShown) headingRef.current?.focus({ preventScroll: true });
    firstPageShown = true;
  }, []);

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.heading}>
          {eyebrow ? <p className={styles.eyebrow}>{eyebrow}</p> : null}
          <h1 ref={headingRef} tabIndex={-1} className={styles.title}>
            {title}
          </h1>
          {description ? <p className={styles.description}>{description}</p> : null}
        </div>
        {actions ? <div className={styles.actions}>{actions}</div> : null}
      </header>
      <div className={styles.body}>{children}</div>
    </div>
  );
}
