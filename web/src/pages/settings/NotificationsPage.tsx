import { useState } from 'react';
import { Mail, Send, Webhook } from 'lucide-react';
import { type NotificationTestResult, settingsApi } from '../../api/settings.ts';
import { useResource } from '../../lib/useResource.ts';
import { useMe } from '../../session/session.tsx';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Alert } from '../../ui/Alert.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Fact, FactNote, Facts } from '../../ui/Facts.tsx';
import { Page } from '../../ui/Page.tsx';
import { InstanceAdminOnly, LoadingCards, SecretStatus } from './SettingsParts.tsx';
import styles from './Settings.module.css';

/** Settings → Notifications: how Tally tells admins a connection needs Reconnect (SMTP, webhook), with a test for each. */
export function NotificationsPage() {
  const { organization } = useOrganization();
  return (
    <Page
      eyebrow="Settings"
      title="Notifications"
      documentTitle={[organization.name]}
      description="How Tally tells admins that a connection needs Reconnect or has recovered. Set in Tally's environment, for every organization."
    >
      <InstanceAdminOnly what="notification settings">
        <Notifications />
      </InstanceAdminOnly>
    </Page>
  );
}

function Notifications() {
  const me = useMe();
  const settings = useResource('notification-settings', () => settingsApi.notifications());
  if (settings.loading) return <LoadingCards what="notification settings" count={2} />;
  if (settings.error || !settings.data) {
    return (
      <Card>
        <ErrorState title="Couldn't load notification settings" message={settings.error?.message ?? 'No answer.'} onRetry={settings.reload} />
      </Card>
    );
  }
  const { smtp, webhook, recipients } = settings.data;
  return (
    <div className={styles.stack}>
      <p className={styles.help}>{recipients}</p>
      <Card
        id="notifications-email"
        title={
          <>
            <Mail size={18} aria-hidden="true" /> Email (SMTP)
          </>
        }
        actions={<Configured on={smtp.configured} />}
        footer={<TestButton label="Send a test email" disabled={!smtp.configured} run={settingsApi.testEmail} />}
      >
        <div className={styles.cardStack}>
          {smtp.configured ? (
            <Facts>
              <Fact label="Server">
                <code className={styles.mono}>{smtp.server}</code>
                <FactNote>{smtp.secure ? 'TLS from the start (smtps)' : 'STARTTLS when the server offers it'}</FactNote>
              </Fact>
              <Fact label="Username">{smtp.username ?? 'None (no login)'}</Fact>
              <Fact label="Password">
                <SecretStatus set={smtp.passwordSet} />
              </Fact>
              <Fact label="Sender">{smtp.from}</Fact>
            </Facts>
          ) : (
            <p className={styles.help}>
              Not configured: invitations show their link to copy instead of emailing it, and nobody is emailed when a connection breaks. Set{' '}
              <code className={styles.mono}>{smtp.variable}=smtp://user:password@mail.example.com:587</code> (and TALLY_SMTP_FROM) and restart Tally.
            </p>
          )}
          {smtp.configured ? <p className={styles.help}>The test goes to you, {me.user.email}.</p> : null}
        </div>
      </Card>

      <Card
        id="notifications-webhook"
        title={
          <>
            <Webhook size={18} aria-hidden="true" /> Webhook
          </>
        }
        actions={<Configured on={webhook.configured} />}
        footer={<TestButton label="Send a test event" disabled={!webhook.configured} run={settingsApi.testWebhook} />}
      >
        {webhook.configured ? (
          <Facts>
            <Fact label="Sends to">
              <code className={styles.mono}>{webhook.target}/…</code>
              <FactNote>The rest of the address is hidden: it is often the webhook's secret.</FactNote>
            </Fact>
            <Fact label="Events">
              <span>
                <code className={styles.mono}>connection.needs_reconnect</code>, <code className={styles.mono}>connection.recovered</code>
              </span>
              <FactNote>POSTed as JSON with the organization, provider, message and a link.</FactNote>
            </Fact>
          </Facts>
        ) : (
          <p className={styles.help}>
            Not configured. Set <code className={styles.mono}>{webhook.variable}</code> to a URL (Slack, Teams or your own) and restart Tally to get
            connection events as JSON.
          </p>
        )}
      </Card>
    </div>
  );
}

function Configured({ on }: { on: boolean }) {
  return on ? (
    <Badge tone="success" dot>
      Configured
    </Badge>
  ) : (
    <Badge dot>Not configured</Badge>
  );
}

/** Runs a test delivery and shows what happened: the server's or the webhook's answer when it failed. */
function TestButton({ label, disabled, run }: { label: string; disabled: boolean; run: () => Promise<NotificationTestResult> }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<NotificationTestResult | null>(null);
  const test = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult(await run());
    } catch (error) {
      setResult({ delivered: false, message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.testRow}>
      {result ? (
        <div className={styles.testResult}>
          <Alert tone={result.delivered ? 'success' : 'danger'} title={result.delivered ? 'Delivered' : 'Not delivered'} live>
            {result.message}
          </Alert>
        </div>
      ) : null}
      <Button icon={<Send size={16} aria-hidden="true" />} loading={busy} disabled={disabled} onClick={() => void test()}>
        {label}
      </Button>
    </div>
  );
}
