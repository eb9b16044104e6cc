import { useState } from 'react';
import { Ellipsis, SearchX, UserMinus } from 'lucide-react';
import { type Member, type Role, accountsApi } from '../../api/accounts.ts';
import { formatDate, roleLabel } from '../../lib/format.ts';
import { Avatar } from '../../ui/Avatar.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { Menu, MenuItem } from '../../ui/Menu.tsx';
import table from '../../ui/Table.module.css';
import { useToast } from '../../ui/Toast.tsx';
import styles from './MembersPage.module.css';
import { canManage, grantableRoles } from './permissions.ts';

export interface MembersTableProps {
  orgId: string;
  orgName: string;
  members: Member[];
  myUserId: string;
  myRole: Role;
  /** Called after a removal the server accepted, to reload the list. */
  onChanged: () => void;
  /** The list as the server answered a role change. */
  onReplaced: (members: Member[]) => void;
}

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={role === 'owner' ? 'brand' : role === 'admin' ? 'info' : 'neutral'}>{roleLabel(role)}</Badge>;
}

export function MembersTable({ orgId, orgName, members, myUserId, myRole, onChanged, onReplaced }: MembersTableProps) {
  const toast = useToast();
  // The role being saved, shown in the select until the server answers (then the answer is shown).
  const [pendingRole, setPendingRole] = useState<{ userId: string; role: Role } | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const changeRole = async (member: Member, role: Role) => {
    setPendingRole({ userId: member.userId, role });
    try {
      const { items } = await accountsApi.updateMember(orgId, member.userId, role);
      onReplaced(items);
      toast.success(`${member.name} is now ${role === 'admin' ? 'an' : 'a'} ${roleLabel(role).toLowerCase()}.`);
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error));
    } finally {
      setPendingRole(null);
    }
  };

  if (members.length === 0) {
    return (
      <EmptyState compact icon={<SearchX size={22} />} title="No members match">
        Try another name or email address.
      </EmptyState>
    );
  }

  return (
    <>
      <div className={table.scroll}>
        <table className={table.table}>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col" className={table.hideOnMobile}>
                Joined
              </th>
              <th scope="col" className={table.shrink}>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const isSelf = member.userId === myUserId;
              const manageable = canManage(myRole, member, isSelf);
              return (
                <tr key={member.userId}>
                  <td>
                    <div className={styles.person}>
                      <Avatar name={member.name} seed={member.userId} size={36} />
                      <div className={styles.personText}>
                        <span className={styles.personName}>
                          {member.name}
                          {isSelf ? <Badge>You</Badge> : null}
                        </span>
                        <span className={styles.personEmail}>{member.email}</span>
                      </div>
                    </div>
                  </td>
                  <td>
                    {manageable ? (
                      <select
                        className={styles.roleSelect}
                        aria-label={`Role of ${member.name}`}
                        value={pendingRole?.userId === member.userId ? pendingRole.role : member.role}
                        disabled={pendingRole?.userId === member.userId}
                        onChange={(event) => void changeRole(member, event.target.value as Role)}
                      >
                        {grantableRoles(myRole).map((role) => (
                          <option key={role} value={role}>
                            {roleLabel(role)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <RoleBadge role={member.role} />
                    )}
                  </td>
                  <td className={`${table.muted} ${table.hideOnMobile}`}>{formatDate(member.joinedAt)}</td>
                  <td className={table.shrink}>
                    {manageable ? (
                      <Menu
                        align="end"
                        label={`Actions for ${member.name}`}
                        trigger={(props) => (
                          <button {...props} className={styles.rowAction} aria-label={`Actions for ${member.name}`}>
                            <Ellipsis size={18} aria-hidden="true" />
                          </button>
                        )}
                      >
                        <MenuItem tone="danger" icon={<UserMinus size={16} />} onSelect={() => setRemoving(member)}>
                          Remove from {orgName}
                        </MenuItem>
                      </Menu>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.name ?? ''} from ${orgName}?`}
        confirmLabel="Remove member"
        onConfirm={async () => {
          if (!removing) return;
          await accountsApi.removeMember(orgId, removing.userId);
          toast.success(`${removing.name} was removed from ${orgName}.`);
          onChanged();
        }}
      >
        {removing?.name} ({removing?.email}) loses access to {orgName}'s dashboards right away. You can invite them again
        later.
      </ConfirmDialog>
    </>
  );
}
