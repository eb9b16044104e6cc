import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Menu as MenuIcon, X } from 'lucide-react';
import { Link, useLocation, useRoute, useSearch } from 'wouter';
import type { Me } from '../api/accounts.ts';
import { lastOrganization } from '../lib/lastOrganization.ts';
import { carryRange } from '../ui/dateRange.ts';
import { useMe } from '../session/session.tsx';
import styles from './AppShell.module.css';
import { Logo } from './Logo.tsx';
import { ORGANIZATION_NAVIGATION, organizationHome, organizationPath } from './navigation.ts';
import { OrgSwitcher } from './OrgSwitcher.tsx';
import { UserMenu } from './UserMenu.tsx';

type Membership = Me['memberships'][number];

const DESKTOP = '(min-width: 900px)';

/** The organization the sidebar shows: the one in the URL, else the last one visited, else the first. */
function useSidebarOrganization(me: Me): Membership | undefined {
  const [, params] = useRoute<{ orgId: string }>('/orgs/:orgId/*');
  const find = (id: string | undefined) => me.memberships.find((m) => m.organization.id === id);
  if (params) return find(params.orgId);
  return find(lastOrganization()) ?? me.memberships[0];
}

/**
 * The signed-in frame: sidebar (brand, organization switcher, navigation, user menu) and the page.
 * Below 900 px the sidebar becomes a drawer behind a menu button.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const me = useMe();
  const current = useSidebarOrganization(me);
  const [location] = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const sidebarRef = useRef<HTMLElement>(null);
  // Focus goes back to the menu button after the drawer closes, once the page is no longer inert.
  const returnFocus = useRef(false);
  const closeDrawer = () => {
    returnFocus.current = true;
    setDrawerOpen(false);
  };

  useEffect(() => setDrawerOpen(false), [location]);

  useEffect(() => {
    const desktop = window.matchMedia(DESKTOP);
    const onChange = () => desktop.matches && setDrawerOpen(false);
    desktop.addEventListener('change', onChange);
    return () => desktop.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    if (!drawerOpen) {
      if (returnFocus.current) menuButtonRef.current?.focus();
      returnFocus.current = false;
      return;
    }
    sidebarRef.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') closeDrawer();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [drawerOpen]);

  const homeHref = current ? organizationHome(current.organization.id) : '/';

  return (
    <div className={styles.shell}>
      <a className={styles.skipLink} href="#main">
        Skip to content
      </a>
      <header className={styles.topbar} inert={drawerOpen}>
        <button
          ref={menuButtonRef}
          type="button"
          className={styles.iconButton}
          onClick={() => setDrawerOpen(true)}
          aria-label="Open navigation"
          aria-expanded={drawerOpen}
          aria-controls="sidebar"
        >
          <MenuIcon size={20} aria-hidden="true" />
        </button>
        <Link href={homeHref} className={styles.brandLink}>
          <Logo size={28} />
        </Link>
        {current ? <span className={styles.topbarOrg}>{current.organization.name}</span> : null}
      </header>

      <div className={`${styles.scrim} ${drawerOpen ? styles.scrimVisible : ''}`} onClick={closeDrawer} aria-hidden="true" />

      <aside id="sidebar" ref={sidebarRef} className={`${styles.sidebar} ${drawerOpen ? styles.open : ''}`} aria-label="Sidebar">
        <div className={styles.sidebarTop}>
          <Link href={homeHref} className={styles.brandLink}>
            <Logo size={28} />
          </Link>
          <button
            type="button"
            className={`${styles.iconButton} ${styles.closeButton}`}
            onClick={() => {
              setDrawerOpen(false);
              menuButtonRef.current?.focus();
            }}
            aria-label="Close navigation"
          >
            <X size={20} aria-hidden="true" />
          </button>
        </div>
        <div className={styles.switcher}>
          <OrgSwitcher memberships={me.memberships} current={current} />
        </div>
        <nav className={styles.nav} aria-label="Main">
          {current ? <OrganizationNav orgId={current.organization.id} location={location} instanceAdmin={me.user.instanceAdmin} /> : null}
        </nav>
        <div className={styles.sidebarBottom}>
          <UserMenu user={me.user} />
        </div>
      </aside>

      <div className={styles.content} inert={drawerOpen}>
        <main id="main" className={styles.main} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

function OrganizationNav({ orgId, location, instanceAdmin }: { orgId: string; location: string; instanceAdmin: boolean }) {
  const range = carryRange(useSearch());
  return ORGANIZATION_NAVIGATION.map((section, index) => (
    <div key={section.label ?? index} className={styles.navSection}>
      {section.label ? <p className={styles.navLabel}>{section.label}</p> : null}
      <ul className={styles.navList}>
        {section.items.filter((item) => instanceAdmin || !item.instanceAdminOnly).map(({ label, icon: Icon, path, dated }) => {
          const href = organizationPath(orgId, path);
          const active = location === href || location.startsWith(`${href}/`);
          return (
            <li key={path}>
              <Link href={dated ? `${href}${range}` : href} className={`${styles.navItem} ${active ? styles.active : ''}`} aria-current={active ? 'page' : undefined}>
                <Icon size={18} aria-hidden="true" />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  ));
}
