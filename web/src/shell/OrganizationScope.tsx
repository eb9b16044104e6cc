import { type ReactNode, createContext, useContext, useEffect } from 'react';
import { Building2 } from 'lucide-react';
import type { Me } from '../api/accounts.ts';
import { rememberOrganization } from '../lib/lastOrganization.ts';
import { useMe } from '../session/session.tsx';
import { ButtonLink } from '../ui/Button.tsx';
import { Card } from '../ui/Card.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { Page } from '../ui/Page.tsx';
import { homePath } from './home.ts';

export type Membership = Me['memberships'][number];

const OrganizationContext = createContext<Membership | null>(null);

/**
 * Pages under /orgs/:orgId run inside this: it finds the membership (the API answers 404 for
 * organizations you are not in, and so does this), remembers the organization for next time,
 * and gives pages `useOrganization()`.
 */
export function OrganizationScope({ orgId, children }: { orgId: string; children: ReactNode }) {
  const me = useMe();
  const membership = me.memberships.find((m) => m.organization.id === orgId);

  useEffect(() => {
    if (membership) rememberOrganization(membership.organization.id);
  }, [membership]);

  if (!membership) {
    return (
      <Page title="Organization not found">
        <Card>
          <EmptyState
            headingLevel={2}
            icon={<Building2 size={22} />}
            title="You can't open this organization"
            action={
              homePath(me) !== '/' ? (
                <ButtonLink href={homePath(me)} variant="primary">
                  Go to your organization
                </ButtonLink>
              ) : undefined
            }
          >
            It doesn't exist, or you're not a member of it. Ask one of its admins for an invitation.
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return <OrganizationContext.Provider value={membership}>{children}</OrganizationContext.Provider>;
}

export function useOrganization(): Membership {
  const membership = useContext(OrganizationContext);
  if (!membership) throw new Error('useOrganization must be used inside <OrganizationScope>');
  return membership;
}
