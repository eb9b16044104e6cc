import { useState } from 'react';
import { Mail } from 'lucide-react';
import { type ConnectInvitation, connectionsApi } from '../../api/connections.ts';
import type { Resource } from '../../lib/useResource.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Count, ExpiresIn, RevokeInvitationDialog } from '../../ui/Invitations.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import table from '../../ui/Table.module.css';
import styles from './Connections.module.css';
import { PROVIDER_NAMES, ProviderLogo } from './ProviderLogo.tsx';

export interface ConnectInvitationsCardProps {
  orgId: string;
  invitations: Resource<{ items: ConnectInvitation[] }>;
}

/** For admins: links sent to app admins that nobody has used yet, with Revoke. Hidden when there are none. */
export function ConnectInvitationsCard({ orgId, invitations }: ConnectInvitationsCardProps) {
  const [revoking, setRevoking] = useState<ConnectInvitation | null>(null);
  const pending = invitations.data?.items.filter((i) => i.status === 'pending') ?? [];

  if (invitations.loading) {
    return (
      <Card title="Invitations to connect" flush>
        <div className={styles.loadingRow} aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading…
          </span>
          <Skeleton width={28} height={28} radius={6} />
          <Skeleton width="40%" height={12} />
        </div>
      </Card>
    );
  }
  if (invitations.error) {
    return (
      <Card title="Invitations to connect" flush>
        <ErrorState compact title="Couldn't load invitations" message={invitations.error.message} onRetry={invitations.reload} />
      </Card>
    );
  }
  if (pending.length === 0) return null;

  return (
    <Card
      id="connect-invitations"
      title={
        <>
          Invitations to connect <Count value={pending.length} />
        </>
      }
      description="App admins asked to connect an app. Each link works once, for 7 days."
      flush
    >
      <div className={table.scroll}>
        <table className={table.table}>
          <thead>
            <tr>
              <th scope="col">Invited</th>
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
                  <div className={styles.invitee}>
                    <ProviderLogo provider={invitation.provider} size={32} />
                    <div className={styles.inviteeText}>
                      <span className={styles.strong}>{invitation.email}</span>
                      <span className={styles.muted}>
                        <Mail size={12} aria-hidden="true" /> Connect {PROVIDER_NAMES[invitation.provider]}
                        {invitation.note ? ` · “${invitation.note}”` : ''}
                      </span>
                    </div>
                  </div>
                </td>
                <td className={`${table.muted} ${table.hideOnMobile}`}>{invitation.invitedBy.name}</td>
                <td className={`${table.muted} ${table.hideOnMobile}`}>
                  <ExpiresIn iso={invitation.expiresAt} />
                </td>
                <td className={table.shrink}>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setRevoking(invitation)}
                    aria-label={`Revoke the ${PROVIDER_NAMES[invitation.provider]} invitation for ${invitation.email}`}
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <RevokeInvitationDialog
        invitation={revoking}
        onClose={() => setRevoking(null)}
        revoke={async () => {
          if (!revoking) return;
          await connectionsApi.revokeInvitation(orgId, revoking.id);
          invitations.reload();
        }}
      />
    </Card>
  );
}
