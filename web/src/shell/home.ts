import type { Me } from '../api/accounts.ts';
import { lastOrganization } from '../lib/lastOrganization.ts';
import { organizationHome } from './navigation.ts';

/** Where a signed-in person starts: the organization they used last, else their first one. */
export function homePath(me: Me): string {
  const remembered = lastOrganization();
  const membership = me.memberships.find((m) => m.organization.id === remembered) ?? me.memberships[0];
  return membership ? organizationHome(membership.organization.id) : '/';
}
