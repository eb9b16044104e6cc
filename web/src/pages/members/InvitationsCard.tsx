import { useState } from 'react';
import { Mail, MailPlus } from 'lucide-react';
import { type Invitation, accountsApi } from '../../api/accounts.ts';
import { formatRelative, roleLabel } from '../../lib/format.ts';
import type { Resource } from '../../lib/useResource.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Count, ExpiresIn, RevokeInvitationDialog } from '../../ui/Invitations.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import table from '../../ui/Table.module.css';
import { RoleBadge } from './MembersTable.tsx';
import styles from './MembersPage.module.css';

export interface InvitationsCardProps {
  orgId: string;
  orgName: string;
  invitations: Resource<{ items: Invitation[] }>;
  onInvite: () => void;
}

/** Invitations nobody has accepted yet, with who sent them, when they expire, and Revoke. */
export function InvitationsCard({ orgId, orgName, invitations, onInvite }: InvitationsCardProps) {
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const pending = invitations.data?.items.filter((i) => i.status === 'pending') ?? [];

  return (
    <Card
      id="invitations"
      title={
        <>
          Pending invitations
          {invitations.data ? <Count value={pending.length} /> : null}
        </>
      }
      description="People invited who haven't joined yet. Each link works once."
      flush
    >
      {invitations.loading ? (
        <LoadingRows />
      ) : invitations.error ? (
        <ErrorState compact title="Couldn't load invitations" message={invitations.error.message} onRetry={invitations.reload} />
      ) : pending.length === 0 ? (
        <EmptyState
          compact
          icon={<MailPlus size={22} />}
          title="No pending invitations"
          action={
            <Button variant="secondary" icon={<MailPlus size={16} aria-hidden="true" />} onClick={onInvite}>
              Invite people
            </Button>
          }
        >
          Invite teammates so they can see what {orgName} uses and spends.
        </EmptyState>
      ) : (
        <div className={table.scroll}>
          <table className={table.table}>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col" className={table.hideOnMobile}>
                  Role
                </th>
                <th scope="col" className={table.hideOnMobile}>
                  Invited by
                </th>
                <th scope="col" className={table.hideOnMobile}>
                  Expires
                </th>
                <th scope="col" className={table.shrink}>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((invitation) => (
                <tr key={invitation.id}>
                  <td>
                    <div className={styles.person}>
                      <span className={styles.mailIcon} aria-hidden="true">
                        <Mail size={16} />
                      </span>
                      <div className={styles.personText}>
                        <span className={styles.personName}>{invitation.email}</span>
                        <span className={styles.personEmail}>
                          <span className={styles.mobileOnly}>{roleLabel(invitation.role)} · </span>
                          Sent {formatRelative(invitation.createdAt)}
                        </span>
                      </div>
                    </div>
                  </td>
                  <td className={table.hideOnMobile}>
                    <RoleBadge role={invitation.role} />
                  </td>
                  <td className={`${table.muted} ${table.hideOnMobile}`}>{invitation.invitedBy?.name ?? '—'}</td>
                  <td className={`${table.muted} ${table.hideOnMobile}`}>
                    <ExpiresIn iso={invitation.expiresAt} />
                  </td>
                  <td className={table.shrink}>
                    <Button size="sm" variant="ghost" onClick={() => setRevoking(invitation)} aria-label={`Revoke invitation for ${invitation.email}`}>
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RevokeInvitationDialog
        invitation={revoking}
        onClose={() => setRevoking(null)}
        after="You can invite them again later."
        revoke={async () => {
          if (!revoking) return;
          await accountsApi.revokeInvitation(orgId, revoking.id);
          invitations.reload();
        }}
      />
    </Card>
  );
}

export function LoadingRows({ rows = 3 }: { rows?: number }) {
  return (
    <div className={styles.loadingRows} aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading…
      </span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={styles.loadingRow}>
          <Skeleton width={36} height={36} radius={18} />
          <div className={styles.loadingText}>
            <Skeleton width="38%" height={12} />
            <Skeleton width="24%" height={10} />
          </div>
          <Skeleton width={72} height={22} radius={11} />
        </div>
      ))}
    </div>
  );
}
