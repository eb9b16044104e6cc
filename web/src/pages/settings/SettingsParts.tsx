import type { ReactNode } from 'react';
import { ShieldCheck } from 'lucide-react';
import { useMe } from '../../session/session.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import styles from './Settings.module.css';

/**
 * Instance settings (provider apps, notifications) belong to Tally's administrators, the account that set
 * Tally up; anyone else who opens the address is told so instead of getting the API's 403.
 */
export function InstanceAdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const me = useMe();
  if (me.user.instanceAdmin) return children;
  return (
    <Card>
      <EmptyState headingLevel={2} icon={<ShieldCheck size={22} />} title={`Only Tally's administrators see ${what}`}>
        These settings apply to every organization on this Tally. Ask whoever set Tally up.
      </EmptyState>
    </Card>
  );
}

/** Cards the shape of a settings section while it loads, announced once as "Loading <what>…". */
export function LoadingCards({ what, count }: { what: string; count: number }) {
  return (
    <div className={styles.stack} aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading {what}…
      </span>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className={styles.loadingCard}>
          <Skeleton width="30%" height={16} />
          <Skeleton width="70%" height={12} />
          <Skeleton width="55%" height={12} />
        </div>
      ))}
    </div>
  );
}

/** Whether a secret is stored: its value is never sent to the browser, so this is all there is to show. */
export function SecretStatus({ set }: { set: boolean }) {
  return set ? <Badge tone="success">Set</Badge> : <Badge>Not set</Badge>;
}
