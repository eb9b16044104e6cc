import { useState } from 'react';
import { CircleCheck, Clock, Link2, LockKeyhole } from 'lucide-react';
import { useSearch } from 'wouter';
import { type ConnectInvitationPreview, connectionsApi } from '../api/connections.ts';
import { formatDate, formatRelative } from '../lib/format.ts';
import { useResource } from '../lib/useResource.ts';
import { AuthLayout } from '../shell/AuthLayout.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Skeleton } from '../ui/Skeleton.tsx';
import { type CallbackResult, readCallbackResult } from './connections/callbackResult.ts';
import { PROVIDER_NAMES, ProviderLogo } from './connections/ProviderLogo.tsx';
import styles from './ConnectInvitePage.module.css';

/**
 * Where an app's admin lands from a connect-invitation, without a Tally account: what the organization
 * asks for, then the provider's consent. The provider sends them back here with the result; a used-up
 * invitation after a success is the expected end, so the thanks do not depend on the invitation loading.
 */
export function ConnectInvitePage({ token }: { token: string }) {
  const search = useSearch();
  const [callback] = useState(() => readCallbackResult(search));
  const succeeded = callback?.result === 'connected' || callback?.result === 'reconnected';
  const preview = useResource(`connect-invitation:${token}`, () => connectionsApi.invitationPreview(token));

  if (succeeded) return <Connected callback={callback} preview={preview.data} />;

  if (preview.loading) {
    return (
      <AuthLayout documentTitle="Invitation to connect" title="Opening your invitation…">
        <div className={styles.summary} aria-busy="true">
          <Skeleton width={44} height={44} radius={10} />
          <div className={styles.summaryText}>
            <Skeleton width="60%" height={14} />
            <Skeleton width="40%" height={12} />
          </div>
        </div>
      </AuthLayout>
    );
  }

  if (preview.error || !preview.data) {
    return (
      <AuthLayout
        documentTitle="Invitation unavailable"
        title="This invitation can't be used"
        subtitle="Ask the person who invited you for a new link."
      >
        <Alert tone="danger" title="Invitation unavailable" live>
          {preview.error?.message}
        </Alert>
      </AuthLayout>
    );
  }

  return <Invitation token={token} invitation={preview.data} callback={callback} />;
}

function Invitation({ token, invitation, callback }: { token: string; invitation: ConnectInvitationPreview; callback: CallbackResult | null }) {
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const orgName = invitation.organization.name;
  const name = invitation.providerName;

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const { authorizeUrl } = await connectionsApi.authorizeInvitation(token);
      window.location.assign(authorizeUrl);
    } catch (cause) {
      setStarting(false);
      setError((cause as Error).message);
    }
  };

  return (
    <AuthLayout
      documentTitle={`Connect ${name}`}
      title={`Connect ${name} to ${orgName}`}
      subtitle={`${invitation.invitedBy} asked you to connect ${orgName}'s ${name} account to Tally, which shows usage and spend. You don't need a Tally account.`}
    >
      {callback && !error ? (
        <Alert tone={callback.result === 'denied' ? 'warning' : 'danger'} title={`${name} was not connected`} live>
          {callback.message ?? 'The provider did not finish the connection.'} You can try again below.
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="danger" title={`Couldn't start connecting ${name}`} live>
          {error}
        </Alert>
      ) : null}

      <div className={styles.summary}>
        <ProviderLogo provider={invitation.provider} />
        <div className={styles.summaryText}>
          <p className={styles.name}>
            {name}
            {invitation.simulated ? <Badge tone="info">Simulated</Badge> : null}
          </p>
          <p className={styles.meta}>for {orgName}</p>
        </div>
        <p className={styles.meta} title={formatDate(invitation.expiresAt)}>
          <Clock size={14} aria-hidden="true" /> Expires {formatRelative(invitation.expiresAt)}
        </p>
      </div>

      {invitation.note ? (
        <figure className={styles.note}>
          <blockquote>{invitation.note}</blockquote>
          <figcaption>— {invitation.invitedBy}</figcaption>
        </figure>
      ) : null}

      <section className={styles.section} aria-labelledby="reads-title">
        <h2 id="reads-title" className={styles.sectionTitle}>
          What Tally will read
        </h2>
        <ul className={styles.reads}>
          {invitation.reads.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>

      <section className={styles.section} aria-labelledby="scopes-title">
        <h2 id="scopes-title" className={styles.sectionTitle}>
          Permissions requested at {name}
        </h2>
        <ul className={styles.scopes}>
          {invitation.scopes.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>
            </li>
          ))}
        </ul>
      </section>

      <Button variant="primary" size="lg" block loading={starting} icon={<Link2 size={18} aria-hidden="true" />} onClick={() => void start()}>
        Connect {name}
      </Button>
      <p className={styles.fineprint}>
        <LockKeyhole size={14} aria-hidden="true" />
        Read-only. You sign in and approve at {name}; Tally never sees your password. The connection belongs to {orgName}, and its
        admins can disconnect it at any time.
      </p>
    </AuthLayout>
  );
}

function Connected({ callback, preview }: { callback: CallbackResult; preview: ConnectInvitationPreview | undefined }) {
  const name = preview?.providerName ?? PROVIDER_NAMES[callback.provider];
  const orgName = preview?.organization.name;
  return (
    <AuthLayout
      documentTitle={`${name} connected`}
      title="Connected, thank you"
      subtitle={`${name} is now connected${orgName ? ` to ${orgName}` : ''} on Tally. You can close this tab.`}
    >
      <div className={styles.done} role="status">
        <CircleCheck size={28} aria-hidden="true" className={styles.doneIcon} />
        <div>
          <p className={styles.name}>{name} is connected</p>
          <p className={styles.meta}>Tally checked the connection and starts reading usage and spend. The invitation link is now used up.</p>
        </div>
      </div>
    </AuthLayout>
  );
}
