import { useMemo, useState } from 'react';
import { Search, UserPlus } from 'lucide-react';
import { accountsApi } from '../../api/accounts.ts';
import { useResource } from '../../lib/useResource.ts';
import { useMe } from '../../session/session.tsx';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Count } from '../../ui/Invitations.tsx';
import { Page } from '../../ui/Page.tsx';
import { InvitationsCard, LoadingRows } from './InvitationsCard.tsx';
import { InviteDialog } from './InviteDialog.tsx';
import { LeaveCard } from './LeaveCard.tsx';
import styles from './MembersPage.module.css';
import { MembersTable } from './MembersTable.tsx';
import { canManageMembers, isLastOwner } from './permissions.ts';

/** Settings → Members: who is in the organization, their roles, pending invitations, invite, leave. */
export function MembersPage() {
  const me = useMe();
  const { organization, role } = useOrganization();
  const orgId = organization.id;
  const admin = canManageMembers(role);
  const [inviting, setInviting] = useState(false);
  const [query, setQuery] = useState('');

  const members = useResource(`members:${orgId}`, () => accountsApi.members(orgId));
  const invitations = useResource(`invitations:${orgId}:${admin}`, () =>
    admin ? accountsApi.invitations(orgId) : Promise.resolve({ items: [] }),
  );

  const shown = useMemo(() => {
    const items = [...(members.data?.items ?? [])].sort(
      (a, b) => Number(b.userId === me.user.id) - Number(a.userId === me.user.id) || a.name.localeCompare(b.name),
    );
    const needle = query.trim().toLowerCase();
    return needle ? items.filter((m) => m.name.toLowerCase().includes(needle) || m.email.toLowerCase().includes(needle)) : items;
  }, [members.data, query, me.user.id]);

  const total = members.data?.items.length;

  return (
    <Page
      eyebrow="Settings"
      title="Members"
      documentTitle={[organization.name]}
      description={
        admin
          ? `Everyone in ${organization.name} can see its dashboards. Admins invite people and manage roles.`
          : `The people in ${organization.name}. Ask an admin to invite someone or change a role.`
      }
      actions={
        admin ? (
          <Button variant="primary" icon={<UserPlus size={16} aria-hidden="true" />} onClick={() => setInviting(true)}>
            Invite people
          </Button>
        ) : undefined
      }
    >
      <Card
        id="members"
        title={
          <>
            People in {organization.name}
            {total !== undefined ? <Count value={total} /> : null}
          </>
        }
        actions={
          total !== undefined && total > 5 ? (
            <div className={styles.search}>
              <Search size={16} className={styles.searchIcon} aria-hidden="true" />
              <input
                type="search"
                className={styles.searchInput}
                placeholder="Search by name or email"
                aria-label="Search members"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
              />
            </div>
          ) : undefined
        }
        flush
      >
        {members.loading ? (
          <LoadingRows />
        ) : members.error ? (
          <ErrorState compact title="Couldn't load members" message={members.error.message} onRetry={members.reload} />
        ) : (
          <MembersTable
            orgId={orgId}
            orgName={organization.name}
            members={shown}
            myUserId={me.user.id}
            myRole={role}
            onChanged={members.reload}
            onReplaced={(items) => members.mutate(() => ({ items }))}
          />
        )}
      </Card>

      {admin ? (
        <InvitationsCard orgId={orgId} orgName={organization.name} invitations={invitations} onInvite={() => setInviting(true)} />
      ) : null}

      {members.data ? (
        <LeaveCard orgId={orgId} orgName={organization.name} userId={me.user.id} lastOwner={isLastOwner(members.data.items, me.user.id)} />
      ) : null}

      {admin ? (
        <InviteDialog
          open={inviting}
          onClose={() => setInviting(false)}
          orgId={orgId}
          orgName={organization.name}
          onInvited={invitations.reload}
        />
      ) : null}
    </Page>
  );
}
