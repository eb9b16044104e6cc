import { FlaskConical } from 'lucide-react';
import { settingsApi } from '../../api/settings.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Alert } from '../../ui/Alert.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Card } from '../../ui/Card.tsx';
import { Page } from '../../ui/Page.tsx';
import { InstanceAdminOnly, LoadingCards } from './SettingsParts.tsx';
import { ProviderAppCard } from './ProviderAppCard.tsx';
import styles from './Settings.module.css';

/** Settings → Provider apps: the OAuth app Tally signs in with at each provider, and what to register there. */
export function ProviderAppsPage() {
  const { organization } = useOrganization();
  return (
    <Page
      eyebrow="Settings"
      title="Provider apps"
      documentTitle={[organization.name]}
      description="The OAuth app Tally uses to sign in at each provider. They apply to every organization on this Tally."
    >
      <InstanceAdminOnly what="provider apps">
        <ProviderApps />
      </InstanceAdminOnly>
    </Page>
  );
}

function ProviderApps() {
  const apps = useResource('provider-apps', () => settingsApi.providerApps());

  if (apps.loading) return <LoadingCards what="provider apps" count={2} />;
  if (apps.error || !apps.data) {
    return (
      <Card>
        <ErrorState title="Couldn't load provider apps" message={apps.error?.message ?? 'No answer.'} onRetry={apps.reload} />
      </Card>
    );
  }
  const { items, simulators } = apps.data;
  const simulated = items.filter((app) => app.simulated);

  return (
    <div className={styles.stack}>
      {simulated.length > 0 ? (
        <Alert tone="info" title="The built-in simulators stand in for the real providers">
          <FlaskConical size={14} aria-hidden="true" className={styles.inlineIcon} />
          {simulated.map((app) => app.name).join(' and ')} {simulated.length === 1 ? 'is' : 'are'} simulated on this Tally (TALLY_SIMULATORS=
          {simulators}).{' '}
          {simulators === 'on'
            ? 'Set TALLY_SIMULATORS=auto or off to use real apps.'
            : 'Once a real app is saved here or set in the environment, Tally uses the real providers from its next start.'}
        </Alert>
      ) : null}
      {items.map((app) => (
        <ProviderAppCard key={app.provider} app={app} onSaved={(list) => apps.mutate(() => list)} onRemoved={apps.reload} />
      ))}
    </div>
  );
}
