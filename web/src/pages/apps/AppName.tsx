import { Link, useSearch } from 'wouter';
import type { ProviderSlug } from '../../api/connections.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { carryRange } from '../../ui/dateRange.ts';
import { ProviderLogo } from '../connections/ProviderLogo.tsx';
import styles from './Apps.module.css';

/** An app's logo and name, linking to its page (the date range comes along). */
export function AppName({ orgId, app, link = true }: { orgId: string; app: { appId: string; provider: ProviderSlug; name: string }; link?: boolean }) {
  const range = carryRange(useSearch());
  const content = (
    <>
      <ProviderLogo provider={app.provider} size={28} />
      <span className={styles.appNameText}>{app.name}</span>
    </>
  );
  if (!link) return <span className={styles.appName}>{content}</span>;
  return (
    <Link href={`${organizationPath(orgId, `apps/${encodeURIComponent(app.appId)}`)}${range}`} className={`${styles.appName} ${styles.appLink}`}>
      {content}
    </Link>
  );
}
