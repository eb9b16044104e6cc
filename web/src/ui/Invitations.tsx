// The parts every invitation list and dialog shares (people invited to an organization, app admins invited
// to connect an app): the count in a card's title, when a link expires, the one-time link once it is
// created, and revoking a pending one.
import { Clock } from 'lucide-react';
import { formatDate, formatRelative } from '../lib/format.ts';
import { Alert } from './Alert.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { CopyField } from './CopyField.tsx';
import styles from './Invitations.module.css';
import { useToast } from './Toast.tsx';

/** A number beside a card's title ("Pending invitations 3"). */
export function Count({ value }: { value: number }) {
  return <span className={styles.count}>{value}</span>;
}

/** "in 6 days", with the date on hover. */
export function ExpiresIn({ iso }: { iso: string }) {
  return (
    <span className={styles.expiry} title={formatDate(iso)}>
      <Clock size={14} aria-hidden="true" />
      {formatRelative(iso)}
    </span>
  );
}

export interface OneTimeLinkProps {
  /** "ada@example.com is invited". */
  title: string;
  link: string;
  emailed: boolean;
  expiresAt: string;
  /** What to do if the link gets lost. */
  ifLost: string;
}

/** The invitation link right after it was created: it is shown only this once, with a copy button. */
export function OneTimeLink({ title, link, emailed, expiresAt, ifLost }: OneTimeLinkProps) {
  return (
    <>
      <Alert tone="success" title={title} live>
        {emailed ? 'We emailed them the link. You can also share it yourself.' : "Email isn't set up on this Tally, so send them this link yourself."}
      </Alert>
      <CopyField label="Invitation link" value={link} />
      <p className={styles.note}>
        This link is shown only once. It works once and expires on {formatDate(expiresAt)}. {ifLost}
      </p>
    </>
  );
}

export interface RevokeInvitationDialogProps {
  /** The invitation to revoke; null keeps the dialog closed. */
  invitation: { email: string } | null;
  onClose: () => void;
  revoke: () => Promise<void>;
  /** A sentence after "The link … stops working at once." */
  after?: string;
}

/** "Revoke this invitation?", then the revoke call, a toast, and the caller reloads its list. */
export function RevokeInvitationDialog({ invitation, onClose, revoke, after }: RevokeInvitationDialogProps) {
  const toast = useToast();
  return (
    <ConfirmDialog
      open={invitation !== null}
      onClose={onClose}
      title="Revoke this invitation?"
      confirmLabel="Revoke invitation"
      onConfirm={async () => {
        if (!invitation) return;
        await revoke();
        toast.success(`The invitation for ${invitation.email} was revoked.`);
      }}
    >
      The link sent to {invitation?.email} stops working at once.{after ? ` ${after}` : ''}
    </ConfirmDialog>
  );
}
