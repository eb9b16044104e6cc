import type { LucideIcon } from 'lucide-react';
import { Plug, UsersRound } from 'lucide-react';

export interface NavItem {
  label: string;
  icon: LucideIcon;
  /** Path inside the organization, e.g. 'settings/members' -> /orgs/:orgId/settings/members. */
  path: string;
}

export interface NavSection {
  /** Shown above the items; the first section (the dashboards) has none. */
  label?: string;
  items: NavItem[];
}

/**
 * The sidebar, as data. Only pages that exist are listed; the dashboards (Overview, Apps, People,
 * Spend, Insights, Sync health) join Connections in the label-less first section when they are built,
 * and Settings grows provider apps, plans and notifications.
 */
export const ORGANIZATION_NAVIGATION: NavSection[] = [
  { items: [{ label: 'Connections', icon: Plug, path: 'connections' }] },
  { label: 'Settings', items: [{ label: 'Members', icon: UsersRound, path: 'settings/members' }] },
];

export function organizationPath(orgId: string, path: string): string {
  return `/orgs/${encodeURIComponent(orgId)}/${path}`;
}

/** Where someone lands in an organization: Connections, the heart of Tally (its Overview once that exists). */
export function organizationHome(orgId: string): string {
  return organizationPath(orgId, 'connections');
}
