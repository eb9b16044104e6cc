import { useState } from 'react';
import { Check, ChevronsUpDown, Plus } from 'lucide-react';
import type { Me } from '../api/accounts.ts';
import { roleLabel } from '../lib/format.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Menu, MenuHeader, MenuItem, MenuSeparator } from '../ui/Menu.tsx';
import { CreateOrganizationDialog } from './CreateOrganizationDialog.tsx';
import styles from './OrgSwitcher.module.css';
import { organizationHome } from './navigation.ts';

type Membership = Me['memberships'][number];

/** The organization in view, and a menu to switch to another one the user belongs to. */
export function OrgSwitcher({ memberships, current }: { memberships: Membership[]; current: Membership | undefined }) {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Menu
        matchWidth
        label="Switch organization"
        trigger={(props) => (
          <button {...props} className={styles.trigger}>
            {current ? (
              <>
                <Avatar name={current.organization.name} seed={current.organization.id} size={32} shape="square" />
                <span className={styles.text}>
                  <span className={styles.name}>{current.organization.name}</span>
                  <span className={styles.role}>{roleLabel(current.role)}</span>
                </span>
              </>
            ) : (
              <span className={styles.text}>
                <span className={styles.name}>Choose an organization</span>
              </span>
            )}
            {current ? <span className="visually-hidden">. Switch organization</span> : null}
            <ChevronsUpDown size={16} className={styles.chevron} aria-hidden="true" />
          </button>
        )}
      >
        <MenuHeader>Your organizations</MenuHeader>
        {memberships.map((membership) => {
          const isCurrent = membership.organization.id === current?.organization.id;
          return (
            <MenuItem
              key={membership.organization.id}
              href={organizationHome(membership.organization.id)}
              checked={isCurrent}
              icon={<Avatar name={membership.organization.name} seed={membership.organization.id} size={24} shape="square" />}
              description={roleLabel(membership.role)}
              end={isCurrent ? <Check size={16} /> : undefined}
            >
              {membership.organization.name}
            </MenuItem>
          );
        })}
        <MenuSeparator />
        <MenuItem icon={<Plus size={16} />} onSelect={() => setCreating(true)}>
          New organization
        </MenuItem>
      </Menu>
      <CreateOrganizationDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
