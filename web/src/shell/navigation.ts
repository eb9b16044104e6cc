import type { LucideIcon } from 'lucide-react';
import { Activity, AppWindow, BellRing, Contact, KeyRound, LayoutDashboard, Lightbulb, Plug, ReceiptText, UsersRound, Wallet } from 'lucide-react';

export interface NavItem {
  label: string;
  icon: LucideIcon;
  /** Path inside the organization, e.g. 'settings/members' -> /orgs/:orgId/settings/members. */
  path: string;
  /** A dashboard page: its link carries the shared date range (?range=…) along, so the range survives the visit. */
  dated?: boolean;
  /** Instance settings (provider apps, notifications): shown only to Tally's administrators. */
  instanceAdminOnly?: boolean;
}

export interface NavSection {
  /** Shown above the items; the first section (the dashboards) has none. */
  label?: string;
  items: NavItem[];
}

/**
 * The sidebar, as data. Only pages that exist are listed; the dashboards (Overview, Apps, People,
 * Spend, Insights, Sync health) join Connections in the label-less first section.
 */
export const ORGANIZATION_NAVIGATION: NavSection[] = [
  {
    items: [
      { label: 'Connections', icon: Plug, path: 'connections' },
      { label: 'Overview', icon: LayoutDashboard, path: 'overview', dated: true },
      { label: 'Apps', icon: AppWindow, path: 'apps', dated: true },
      { label: 'People', icon: Contact, path: 'people', dated: true },
      { label: 'Spend', icon: Wallet, path: 'spend', dated: true },
      { label: 'Insights', icon: Lightbulb, path: 'insights', dated: true },
      { label: 'Sync health', icon: Activity, path: 'sync-health', dated: true },
    ],
  },
  {
    label: 'Settings',
    items: [
      { label: 'Members', icon: UsersRound, path: 'settings/members' },
      { label: 'Plans & seat prices', icon: ReceiptText, path: 'settings/plans' },
      { label: 'Provider apps', icon: KeyRound, path: 'settings/provider-apps', instanceAdminOnly: true },
      { label: 'Notifications', icon: BellRing, path: 'settings/notifications', instanceAdminOnly: true },
    ],
  },
];

export function organizationPath(orgId: string, path: string): string {
  return `/orgs/${encodeURIComponent(orgId)}/${path}`;
}

/**
 * Where someone lands in an organization: /orgs/:orgId, which opens Overview once an app is connected and
 * Connections before that (shell/OrganizationLanding.tsx).
 */
export function organizationHome(orgId: string): string {
  return `/orgs/${encodeURIComponent(orgId)}`;
}
