import { type ReactNode, useEffect } from 'react';
import { ChartNoAxesCombined, Cloud, ShieldCheck, UsersRound } from 'lucide-react';
import styles from './AuthLayout.module.css';
import { Logo } from './Logo.tsx';

export interface AuthLayoutProps {
  /** The page's h1. */
  title: ReactNode;
  /** Plain-text page title for the browser tab. */
  documentTitle: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}

const POINTS = [
  { icon: Cloud, title: 'Every account in one place', text: 'Connect DigitalOcean and Bitbucket Cloud by OAuth; Tally syncs usage and spend on its own.' },
  { icon: UsersRound, title: 'Seats against real use', text: 'See who is active, who is not, and which seats you pay for without a reason.' },
  { icon: ChartNoAxesCombined, title: 'Spend you can explain', text: 'Monthly spend by app, product and project, with the trend and the forecast.' },
  { icon: ShieldCheck, title: 'Yours to run', text: 'Self-hosted and open source. Your data stays on your servers.' },
];

/** The frame of the signed-out pages (setup, sign-in, invitations): product story left, form right. */
export function AuthLayout({ title, documentTitle, subtitle, children, footer }: AuthLayoutProps) {
  useEffect(() => {
    document.title = `${documentTitle} · Tally`;
  }, [documentTitle]);

  return (
    <div className={styles.layout}>
      <aside className={styles.story} aria-label="About Tally">
        <Logo size={32} inverted />
        <div className={styles.storyBody}>
          <p className={styles.headline}>Know what your software costs, and who really uses it.</p>
          <ul className={styles.points}>
            {POINTS.map(({ icon: Icon, title: pointTitle, text }) => (
              <li key={pointTitle} className={styles.point}>
                <span className={styles.pointIcon} aria-hidden="true">
                  <Icon size={18} />
                </span>
                <span>
                  <span className={styles.pointTitle}>{pointTitle}</span>
                  <span className={styles.pointText}>{text}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
        <p className={styles.storyFooter}>Open source · AGPL-3.0</p>
      </aside>
      <main className={styles.main}>
        <div className={styles.panel}>
          <div className={styles.mobileLogo}>
            <Logo size={32} />
          </div>
          <header className={styles.header}>
            <h1 className={styles.title}>{title}</h1>
            {subtitle ? <p className={styles.subtitle}>{subtitle}</p> : null}
          </header>
          {children}
          {footer ? <div className={styles.footer}>{footer}</div> : null}
        </div>
      </main>
    </div>
  );
}
