import type { ReactNode } from 'react';
import { KeyRound, Link2, Mail, RefreshCw, RotateCw, Unplug, X } from 'lucide-react';
import type { ProviderCard as Card } from '../../api/connections.ts';
import { Alert, type AlertTone } from '../../ui/Alert.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { ConnectionFacts, ScopeList, type SyncInfo } from './ConnectionFacts.tsx';
import styles from './Connections.module.css';
import { ProviderLogo } from './ProviderLogo.tsx';

export interface CardNotice {
  tone: AlertTone;
  title: string;
  text?: string | undefined;
}

export interface ProviderCardProps {
  orgId: string;
  card: Card;
  /** Owners and admins connect, reconnect and disconnect; members invite the app's admin. */
  admin: boolean;
  notice: CardNotice | null;
  onDismissNotice: () => void;
  /** True while Tally prepares the provider's authorize URL. */
  connecting: boolean;
  onConnect: () => void;
  onPersonalToken: () => void;
  onInvite: () => void;
  onDisconnect: () => void;
  /** Last sync and what runs now, from the sync API. */
  sync: SyncInfo;
  /** True while Tally queues a Sync now. */
  startingSync: boolean;
  onSyncNow: () => void;
  /** More about a connected app, between its facts and its actions (Bitbucket's member emails). */
  extra?: ReactNode;
}

/** One provider: what Tally reads, the connection's state and account, and what you can do about it. */
export function ProviderCard(props: ProviderCardProps) {
  const {
    orgId,
    card,
    admin,
    notice,
    onDismissNotice,
    connecting,
    onConnect,
    onPersonalToken,
    onInvite,
    onDisconnect,
    sync,
    startingSync,
    onSyncNow,
    extra,
  } = props;
  const connection = card.connection?.status === 'disconnected' ? null : card.connection;
  const needsReconnect = connection?.status === 'needs_reconnect';
  const headingId = `connection-${card.provider}-title`;
  const noOAuth = admin && !card.oauthConfigured;
  const syncBusy = Boolean(sync.health?.running || sync.health?.queued);

  return (
    <section id={`connection-${card.provider}`} className={`${styles.card} ${needsReconnect ? styles.attention : ''}`} aria-labelledby={headingId}>
      <header className={styles.cardHeader}>
        <ProviderLogo provider={card.provider} />
        <div className={styles.cardHeading}>
          <h2 id={headingId} className={styles.cardTitle}>
            {card.name}
            {card.simulated ? (
              <span title="Tally's built-in simulator, not the real service">
                <Badge tone="info">Simulated</Badge>
              </span>
            ) : null}
          </h2>
          <p className={styles.cardDescription}>{card.description}</p>
        </div>
        <div className={styles.status}>
          {needsReconnect ? (
            <Badge tone="warning" dot>
              Reconnect needed
            </Badge>
          ) : connection ? (
            <Badge tone="success" dot>
              Connected
            </Badge>
          ) : (
            <Badge dot>Not connected</Badge>
          )}
        </div>
      </header>

      {notice || needsReconnect || noOAuth ? (
        <div className={styles.notices}>
          {notice ? (
            <Alert
              tone={notice.tone}
              title={notice.title}
              live
              action={
                <button type="button" className={styles.dismiss} onClick={onDismissNotice} aria-label={`Dismiss message about ${card.name}`}>
                  <X size={16} aria-hidden="true" />
                </button>
              }
            >
              {notice.text}
            </Alert>
          ) : null}
          {needsReconnect ? (
            <Alert tone="warning" title={`${card.name} no longer accepts Tally's access. Syncing is paused.`}>
              {connection.statusReason ?? 'The grant no longer works.'}{' '}
              {admin ? 'History and synced data are kept.' : 'Ask an admin to reconnect it.'}
            </Alert>
          ) : null}
          {noOAuth ? (
            <Alert tone="info">
              No OAuth app is configured for {card.name} on this Tally, so connect it with {withArticle(card.personalToken.label)}.
            </Alert>
          ) : null}
        </div>
      ) : null}

      <div className={styles.cardBody}>
        {connection ? (
          <ConnectionFacts orgId={orgId} card={card} connection={connection} sync={sync} />
        ) : (
          <div className={styles.reads}>
            <p className={styles.readsTitle}>What Tally reads</p>
            <ul className={styles.readsList}>
              {card.reads.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
            <p className={styles.readsTitle}>Permissions requested</p>
            <ScopeList scopes={card.scopes} />
          </div>
        )}
      </div>

      {connection ? extra : null}

      <footer className={styles.cardFooter}>
        {admin ? (
          <>
            <div className={styles.footerActions}>
              {card.oauthConfigured ? (
                <Button
                  variant={needsReconnect || !connection ? 'primary' : 'secondary'}
                  loading={connecting}
                  icon={connection ? <RefreshCw size={16} aria-hidden="true" /> : <Link2 size={16} aria-hidden="true" />}
                  onClick={onConnect}
                >
                  {connection ? 'Reconnect' : 'Connect'}
                  <span className="visually-hidden"> {card.name}</span>
                </Button>
              ) : null}
              {connection && !needsReconnect ? (
                <Button
                  variant="secondary"
                  icon={<RotateCw size={16} aria-hidden="true" />}
                  loading={startingSync}
                  disabled={syncBusy}
                  onClick={onSyncNow}
                >
                  {sync.health?.running ? 'Syncing…' : sync.health?.queued ? 'Sync queued' : 'Sync now'}
                  <span className="visually-hidden"> {card.name}</span>
                </Button>
              ) : null}
              <Button variant={card.oauthConfigured ? 'ghost' : 'primary'} icon={<KeyRound size={16} aria-hidden="true" />} onClick={onPersonalToken}>
                Use {withArticle(card.personalToken.label)}
                <span className="visually-hidden"> for {card.name}</span>
              </Button>
              <Button variant="ghost" icon={<Mail size={16} aria-hidden="true" />} onClick={onInvite}>
                Invite admin<span className="visually-hidden"> of {card.name}</span>
              </Button>
            </div>
            {connection ? (
              <Button variant="danger-outline" icon={<Unplug size={16} aria-hidden="true" />} onClick={onDisconnect}>
                Disconnect<span className="visually-hidden"> {card.name}</span>
              </Button>
            ) : null}
          </>
        ) : (
          <>
            <p className={styles.footerNote}>
              {connection
                ? 'Connected by an admin. Only admins can reconnect or disconnect.'
                : `Only admins can connect apps. Whoever administers ${card.name} can connect it without a Tally account.`}
            </p>
            {!connection || needsReconnect ? (
              <Button variant="primary" icon={<Mail size={16} aria-hidden="true" />} onClick={onInvite}>
                Invite your {card.name} admin
              </Button>
            ) : null}
          </>
        )}
      </footer>
    </section>
  );
}

/** A token label inside a sentence: "an API token", "a personal access token". */
export function withArticle(label: string): string {
  const noun = /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
