import { ChevronsUpDown, LogOut, UserRound } from 'lucide-react';
import { useLocation } from 'wouter';
import type { User } from '../api/accounts.ts';
import { useSession } from '../session/session.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { Menu, MenuHeader, MenuItem, MenuSeparator } from '../ui/Menu.tsx';
import { useToast } from '../ui/Toast.tsx';
import styles from './UserMenu.module.css';

/** Who is signed in, with their account settings and "Log out". */
export function UserMenu({ user }: { user: User }) {
  const { signOut } = useSession();
  const [, navigate] = useLocation();
  const toast = useToast();

  const logOut = () => {
    signOut().then(
      () => navigate('/login', { replace: true }),
      (error: unknown) => toast.error(error instanceof Error ? error.message : 'Logging out failed.'),
    );
  };

  return (
    <Menu
      placement="above"
      matchWidth
      label="Account"
      trigger={(props) => (
        <button {...props} className={styles.trigger}>
          <Avatar name={user.name} seed={user.id} size={32} />
          <span className={styles.text}>
            <span className={styles.name}>{user.name}</span>
            <span className={styles.email}>{user.email}</span>
          </span>
          <span className="visually-hidden">. Account menu</span>
          <ChevronsUpDown size={16} className={styles.chevron} aria-hidden="true" />
        </button>
      )}
    >
      <MenuHeader>
        Signed in as <strong className={styles.strong}>{user.email}</strong>
      </MenuHeader>
      <MenuItem href="/account" icon={<UserRound size={16} />}>
        Account settings
      </MenuItem>
      <MenuSeparator />
      <MenuItem onSelect={logOut} icon={<LogOut size={16} />}>
        Log out
      </MenuItem>
    </Menu>
  );
}
