import type { ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { loginPathFor, safeNextPath } from './lib/nextPath.ts';
import { AccountPage } from './pages/AccountPage.tsx';
import { AppPage } from './pages/apps/AppPage.tsx';
import { AppsPage } from './pages/apps/AppsPage.tsx';
import { ConnectInvitePage } from './pages/ConnectInvitePage.tsx';
import { ConnectionsPage } from './pages/connections/ConnectionsPage.tsx';
import { InvitePage } from './pages/InvitePage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { MembersPage } from './pages/members/MembersPage.tsx';
import { NoOrganizationPage } from './pages/NoOrganizationPage.tsx';
import { InsightsPage } from './pages/insights/InsightsPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OverviewPage } from './pages/overview/OverviewPage.tsx';
import { PeoplePage } from './pages/people/PeoplePage.tsx';
import { PersonPage } from './pages/people/PersonPage.tsx';
import { NotificationsPage } from './pages/settings/NotificationsPage.tsx';
import { PlansPage } from './pages/settings/PlansPage.tsx';
import { ProviderAppsPage } from './pages/settings/ProviderAppsPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SpendPage } from './pages/spend/SpendPage.tsx';
import { SyncHealthPage } from './pages/sync-health/SyncHealthPage.tsx';
import { useSession } from './session/session.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { homePath } from './shell/home.ts';
import { organizationHome, organizationPath } from './shell/navigation.ts';
import { OrganizationScope } from './shell/OrganizationScope.tsx';

/**
 * Every route of the dashboard. While Tally is not set up, every path leads to /setup; after
 * that /setup leads to sign-in. Signed-out visitors of app pages go to /login and come back after.
 */
export function App() {
  const { setupNeeded, me } = useSession();
  const search = useSearch();

  if (setupNeeded) {
    return (
      <Switch>
        <Route path="/setup" component={SetupPage} />
        <Route>
          <Redirect to="/setup" replace />
        </Route>
      </Switch>
    );
  }

  return (
    <Switch>
      <Route path="/setup">
        <Redirect to={me ? homePath(me) : '/login'} replace />
      </Route>
      <Route path="/login">{me ? <Redirect to={safeNextPath(search) ?? homePath(me)} replace /> : <LoginPage />}</Route>
      <Route path="/invite/:token">{(params) => <InvitePage key={params.token} token={params.token} />}</Route>
      <Route path="/connect-invite/:token">{(params) => <ConnectInvitePage key={params.token} token={params.token} />}</Route>
      <Route>
        <RequireSignIn>
          <AppShell>
            <Switch>
              <Route path="/">
                <Home />
              </Route>
              <Route path="/account" component={AccountPage} />
              <Route path="/orgs/:orgId">{(params) => <Redirect to={organizationHome(params.orgId)} replace />}</Route>
              <Route path="/orgs/:orgId/connections">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <ConnectionsPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/overview">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <OverviewPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/apps">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <AppsPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/apps/:appId">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <AppPage key={params.appId} appId={params.appId} />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/people">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <PeoplePage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/people/:personId">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <PersonPage key={params.personId} personId={params.personId} />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/spend">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <SpendPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/insights">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <InsightsPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/sync-health">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <SyncHealthPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/settings">
                {(params) => <Redirect to={organizationPath(params.orgId, 'settings/members')} replace />}
              </Route>
              <Route path="/orgs/:orgId/settings/members">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <MembersPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/settings/plans">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <PlansPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/settings/provider-apps">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <ProviderAppsPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route path="/orgs/:orgId/settings/notifications">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <NotificationsPage />
                  </OrganizationScope>
                )}
              </Route>
              <Route component={NotFoundPage} />
            </Switch>
          </AppShell>
        </RequireSignIn>
      </Route>
    </Switch>
  );
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (!me) return <Redirect to={loginPathFor(location, search)} replace />;
  return children;
}

function Home() {
  const { me } = useSession();
  if (me && me.memberships.length > 0) return <Redirect to={homePath(me)} replace />;
  return <NoOrganizationPage />;
}
