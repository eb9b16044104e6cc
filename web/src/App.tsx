import { type ReactNode, Suspense, lazy } from 'react';
import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { loginPathFor, safeNextPath } from './lib/nextPath.ts';
import { AccountPage } from './pages/AccountPage.tsx';
import { ConnectInvitePage } from './pages/ConnectInvitePage.tsx';
import { ConnectionsPage } from './pages/connections/ConnectionsPage.tsx';
import { InvitePage } from './pages/InvitePage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { MembersPage } from './pages/members/MembersPage.tsx';
import { NoOrganizationPage } from './pages/NoOrganizationPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { NotificationsPage } from './pages/settings/NotificationsPage.tsx';
import { PlansPage } from './pages/settings/PlansPage.tsx';
import { ProviderAppsPage } from './pages/settings/ProviderAppsPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { useSession } from './session/session.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { homePath } from './shell/home.ts';
import { organizationPath } from './shell/navigation.ts';
import { OrganizationLanding } from './shell/OrganizationLanding.tsx';
import { OrganizationScope } from './shell/OrganizationScope.tsx';
import { LoadingBlock } from './ui/LoadingBlock.tsx';

// The dashboards and their charting library load when first opened, so sign-in, setup and Connections
// don't wait for code they don't use.
const AppPage = lazy(() => import('./pages/apps/AppPage.tsx').then((m) => ({ default: m.AppPage })));
const AppsPage = lazy(() => import('./pages/apps/AppsPage.tsx').then((m) => ({ default: m.AppsPage })));
const InsightsPage = lazy(() => import('./pages/insights/InsightsPage.tsx').then((m) => ({ default: m.InsightsPage })));
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage.tsx').then((m) => ({ default: m.OverviewPage })));
const PeoplePage = lazy(() => import('./pages/people/PeoplePage.tsx').then((m) => ({ default: m.PeoplePage })));
const PersonPage = lazy(() => import('./pages/people/PersonPage.tsx').then((m) => ({ default: m.PersonPage })));
const SpendPage = lazy(() => import('./pages/spend/SpendPage.tsx').then((m) => ({ default: m.SpendPage })));
const SyncHealthPage = lazy(() => import('./pages/sync-health/SyncHealthPage.tsx').then((m) => ({ default: m.SyncHealthPage })));

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
            <Suspense fallback={<LoadingBlock what="the page" />}>
            <Switch>
              <Route path="/">
                <Home />
              </Route>
              <Route path="/account" component={AccountPage} />
              <Route path="/orgs/:orgId">
                {(params) => (
                  <OrganizationScope orgId={params.orgId}>
                    <OrganizationLanding key={params.orgId} />
                  </OrganizationScope>
                )}
              </Route>
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
            </Suspense>
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
