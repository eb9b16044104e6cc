import type { ProviderApp, ProviderAppList, ProviderUrl } from '../../api/settings.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { CopyField } from '../../ui/CopyField.tsx';
import { Fact, FactNote, Facts } from '../../ui/Facts.tsx';
import { ProviderLogo } from '../connections/ProviderLogo.tsx';
import { ProviderAppForm } from './ProviderAppForm.tsx';
import { SecretStatus } from './SettingsParts.tsx';
import styles from './Settings.module.css';

const SOURCE_BADGES = {
  environment: (
    <Badge tone="success" dot>
      From the environment
    </Badge>
  ),
  settings: (
    <Badge tone="success" dot>
      Configured
    </Badge>
  ),
  simulator: (
    <Badge tone="info" dot>
      Simulated
    </Badge>
  ),
} as const;

/** One provider: the app in use and where it comes from, the redirect URI to register, the form, the URLs. */
export function ProviderAppCard({ app, onSaved, onRemoved }: { app: ProviderApp; onSaved: (list: ProviderAppList) => void; onRemoved: () => void }) {
  const titleId = `provider-app-${app.provider}`;
  return (
    <Card
      id={titleId}
      title={
        <>
          <ProviderLogo provider={app.provider} size={32} />
          {app.name}
        </>
      }
      actions={
        app.source ? (
          SOURCE_BADGES[app.source]
        ) : (
          <Badge tone="warning" dot>
            Not configured
          </Badge>
        )
      }
    >
      <div className={styles.sections}>
        <section className={styles.section} aria-labelledby={`${titleId}-in-use`}>
          <h3 id={`${titleId}-in-use`} className={styles.sectionTitle}>
            App in use
          </h3>
          <Facts>
            <Fact label="Comes from">
              <SourceText app={app} />
            </Fact>
            <Fact label="Client ID">{app.clientId ? <code className={styles.mono}>{app.clientId}</code> : '—'}</Fact>
            <Fact label="Client secret">
              <SecretStatus set={app.secretSet} />
            </Fact>
          </Facts>
        </section>

        <section className={styles.section} aria-labelledby={`${titleId}-register`}>
          <h3 id={`${titleId}-register`} className={styles.sectionTitle}>
            Register at {app.name}
          </h3>
          <CopyField label={`Redirect URI (callback URL) for ${app.name}`} value={app.redirectUri} noun="redirect URI" />
          <p className={styles.help}>{app.registerHelp}</p>
        </section>

        <section className={styles.section} aria-labelledby={`${titleId}-app`}>
          <h3 id={`${titleId}-app`} className={styles.sectionTitle}>
            {app.simulated ? 'Real app for when the simulator is off' : 'Client ID and secret'}
          </h3>
          {app.editable ? (
            <ProviderAppForm app={app} onSaved={onSaved} onRemoved={onRemoved} />
          ) : (
            <p className={styles.help}>
              Set by <code className={styles.mono}>{app.environment.clientId}</code> and{' '}
              <code className={styles.mono}>{app.environment.clientSecret}</code> in Tally's environment, so it is read-only here: change those
              variables and restart Tally.
            </p>
          )}
        </section>

        <section className={styles.section} aria-labelledby={`${titleId}-urls`}>
          <h3 id={`${titleId}-urls`} className={styles.sectionTitle}>
            Endpoints
          </h3>
          <Facts>
            <UrlFact label="Authorize URL" url={app.urls.authorize} name={app.name} />
            <UrlFact label="Token URL" url={app.urls.token} name={app.name} />
            <UrlFact label="Revoke URL" url={app.urls.revoke} name={app.name} />
            <UrlFact label="API base URL" url={app.urls.api} name={app.name} />
          </Facts>
          <p className={styles.help}>
            URLs change only through the environment variables named above (https only, except a simulator on this machine).
          </p>
        </section>
      </div>
    </Card>
  );
}

function SourceText({ app }: { app: ProviderApp }) {
  switch (app.source) {
    case 'environment':
      return <>Environment variables (read-only here)</>;
    case 'settings':
      return <>Saved on this page</>;
    case 'simulator':
      return <>Tally's built-in simulator, registered automatically</>;
    default:
      return <>Nothing yet: only personal tokens can connect {app.name}</>;
  }
}

function UrlFact({ label, url, name }: { label: string; url: ProviderUrl; name: string }) {
  return (
    <Fact label={label} wide>
      {url.url ? (
        <code className={styles.mono}>{url.url}</code>
      ) : (
        <span>None: {name} has no endpoint to revoke a token; Disconnect asks you to remove Tally there.</span>
      )}
      <FactNote>
        {url.source === 'simulator' ? (
          <>
            Simulator
            {url.defaultUrl ? (
              <>
                ; the real one is <code className={styles.mono}>{url.defaultUrl}</code>
              </>
            ) : null}
          </>
        ) : url.source === 'environment' ? (
          <>
            From <code className={styles.mono}>{url.variable}</code>
            {url.defaultUrl ? (
              <>
                {' '}
                (default <code className={styles.mono}>{url.defaultUrl}</code>)
              </>
            ) : null}
          </>
        ) : url.url ? (
          <>
            Default; override with <code className={styles.mono}>{url.variable}</code>
          </>
        ) : null}
      </FactNote>
    </Fact>
  );
}
