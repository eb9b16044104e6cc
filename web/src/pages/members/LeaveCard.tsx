import { useState } from 'react';
import { DoorOpen } from 'lucide-react';
import { useLocation } from 'wouter';
import { accountsApi } from '../../api/accounts.ts';
import { useSession } from '../../session/session.tsx';
import { homePath } from '../../shell/home.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useToast } from '../../ui/Toast.tsx';
import styles from './MembersPage.module.css';

export interface LeaveCardProps {
  orgId: string;
  orgName: string;
  userId: string;
  /** The last owner cannot leave (the API refuses with `last_owner`); say so up front. */
  lastOwner: boolean;
}

export function LeaveCard({ orgId, orgName, userId, lastOwner }: LeaveCardProps) {
  const { refresh } = useSession();
  const [, navigate] = useLocation();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);

  return (
    <section className={styles.leave} aria-labelledby="leave-title">
      <div className={styles.leaveText}>
        <h2 id="leave-title" className={styles.leaveTitle}>
          Leave {orgName}
        </h2>
        <p className={styles.leaveDescription}>
          {lastOwner
            ? `You're the only owner. Make another member an owner before you leave, so ${orgName} isn't left without one.`
            : `You lose access to ${orgName}'s dashboards. An admin can invite you again.`}
        </p>
      </div>
      <Button variant="danger-outline" icon={<DoorOpen size={16} aria-hidden="true" />} onClick={() => setConfirming(true)} disabled={lastOwner}>
        Leave organization
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Leave ${orgName}?`}
        confirmLabel="Leave organization"
        onConfirm={async () => {
          await accountsApi.removeMember(orgId, userId);
          const me = await refresh();
          toast.success(`You left ${orgName}.`);
          navigate(me ? homePath(me) : '/login', { replace: true });
        }}
      >
        You lose access to {orgName}'s dashboards at once. To come back, an admin has to invite you again.
      </ConfirmDialog>
    </section>
  );
}
