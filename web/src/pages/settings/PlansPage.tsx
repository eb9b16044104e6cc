import { analyticsApi } from '../../api/analytics.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Page } from '../../ui/Page.tsx';
import { PlansCard } from './PlansCard.tsx';
import { LoadingCards } from './SettingsParts.tsx';
import styles from './Settings.module.css';

/**
 * Settings → Plans & seat prices: what the providers' APIs do not say about each connected app (plan,
 * price per seat, seat count, renewal, contract value, when a seat counts as inactive). Bitbucket has no
 * billing API: its spend is seats × the price entered here. Admins edit; members read.
 */
export function PlansPage() {
  const { organization, role } = useOrganization();
  const admin = role === 'owner' || role === 'admin';
  return (
    <Page
      eyebrow="Settings"
      title="Plans & seat prices"
      documentTitle={[organization.name]}
      description={
        admin
          ? 'What each app costs and when it renews, which the providers’ APIs do not tell Tally. Spend, savings and renewal insights use these figures.'
          : 'What each app costs and when it renews, as your admins entered it. Only admins change it.'
      }
    >
      <Plans orgId={organization.id} admin={admin} />
    </Page>
  );
}

function Plans({ orgId, admin }: { orgId: string; admin: boolean }) {
  const apps = useResource(`plans-apps:${orgId}`, () => analyticsApi.apps(orgId));
  if (apps.loading) return <LoadingCards what="plans" count={2} />;
  if (apps.error || !apps.data) {
    return (
      <Card>
        <ErrorState title="Couldn't load the connected apps" message={apps.error?.message ?? 'No answer.'} onRetry={apps.reload} />
      </Card>
    );
  }
  if (apps.data.items.length === 0) {
    return (
      <ConnectFirst orgId={orgId} title="Connect an app to set its plan">
        Once Bitbucket or DigitalOcean is connected, its plan, price per seat and renewal date are entered here.
      </ConnectFirst>
    );
  }
  return (
    <div className={styles.stack}>
      {apps.data.items.map((app) => (
        <PlansCard key={app.appId} orgId={orgId} app={app} admin={admin} onSaved={apps.reload} />
      ))}
    </div>
  );
}
