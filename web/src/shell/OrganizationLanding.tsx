import { Redirect } from 'wouter';
import { connectionsApi } from '../api/connections.ts';
import { useResource } from '../lib/useResource.ts';
import { LoadingBlock } from '../ui/LoadingBlock.tsx';
import { organizationPath } from './navigation.ts';
import { useOrganization } from './OrganizationScope.tsx';
import { landingPage } from './landing.ts';

/**
 * /orgs/:orgId, where sign-in and the organization switcher lead: Overview once the organization has a
 * connection, otherwise Connections, since connecting an app is what it must do next. If the cards cannot
 * be read, Connections is where the error (with the API's message) is shown.
 */
export function OrganizationLanding() {
  const { organization } = useOrganization();
  const cards = useResource(`landing:${organization.id}`, () => connectionsApi.cards(organization.id));
  if (cards.loading) return <LoadingBlock what="your organization" tiles={0} panels={1} />;
  return <Redirect to={organizationPath(organization.id, landingPage(cards.data?.items ?? []))} replace />;
}
