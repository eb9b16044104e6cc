import { useCallback, useEffect, useRef, useState } from 'react';
import { Plug } from 'lucide-react';
import { useLocation, useSearch } from 'wouter';
import { type ProviderCard as Card, type ProviderSlug, type RevokeOutcome, connectionsApi } from '../../api/connections.ts';
import { syncApi } from '../../api/sync.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Page } from '../../ui/Page.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { syncInProgress } from '../sync-health/syncStatus.ts';
import { type CallbackResult, readCallbackResult, withoutCallbackParams } from './callbackResult.ts';
import { ConnectInvitationsCard } from './ConnectInvitationsCard.tsx';
import styles from './Connections.module.css';
import { DisconnectDialog } from './DisconnectDialog.tsx';
import { InviteAdminDialog } from './InviteAdminDialog.tsx';
import { MemberEmailsSection } from './MemberEmails.tsx';
import { PersonalTokenDialog } from './PersonalTokenDialog.tsx';
import { type CardNotice, ProviderCard } from './ProviderCard.tsx';
import { PROVIDER_NAMES } from './ProviderLogo.tsx';

export function canManageConnections(role: string): boolean {
  return role === 'owner' || role === 'admin';
}

/** What the card says after the provider sent the browser back (account_mismatch asks first instead). */
function noticeForCallback(result: CallbackResult, name: string): CardNotice | null {
  switch (result.result) {
    case 'connected':
      return { tone: 'success', title: `${name} is connected`, text: 'Tally checked the connection and starts reading usage and spend.' };
    case 'reconnected':
      return { tone: 'success', title: `${name} is reconnected`, text: 'The connection works again; its history and synced data are kept.' };
    case 'denied':
      return { tone: 'warning', title: `${name} was not connected`, text: result.message ?? 'The access was declined at the provider.' };
    case 'error':
      return { tone: 'danger', title: `${name} could not be connected`, text: result.message ?? 'The provider answered with an error.' };
    case 'account_mismatch':
      return null;
  }
}

/** Connections: one card per provider to connect, reconnect, or disconnect it, or to invite its admin. */
export function ConnectionsPage() {
  const { organization, role } = useOrganization();
  const orgId = organization.id;
  const admin = canManageConnections(role);
  const toast = useToast();
  const [location, navigate] = useLocation();
  const search = useSearch();

  const cards = useResource(`connections:${orgId}`, () => connectionsApi.cards(orgId));
  const invitations = useResource(`connect-invitations:${orgId}:${admin}`, () =>
    admin ? connectionsApi.invitations(orgId) : Promise.resolve({ items: [] })
  );

  const sync = useSyncHealth(orgId);
  const [startingSync, setStartingSync] = useState<ProviderSlug | null>(null);
  const [notices, setNotices] = useState<Partial<Record<ProviderSlug, CardNotice>>>({});
  const [mismatch, setMismatch] = useState<{ provider: ProviderSlug; account: string | null } | null>(null);
  // Set once the admin agreed to replace the account, so closing the question doesn't say "nothing changed".
  const replacing = useRef(false);
  const [connecting, setConnecting] = useState<ProviderSlug | null>(null);
  const [tokenFor, setTokenFor] = useState<Card | null>(null);
  const [inviteFor, setInviteFor] = useState<Card | null>(null);
  const [disconnecting, setDisconnecting] = useState<Card | null>(null);

  const setNotice = useCallback((provider: ProviderSlug, notice: CardNotice | null) => {
    setNotices((all) => {
      const next = { ...all };
      if (notice) next[provider] = notice;
      else delete next[provider];
      return next;
    });
  }, []);

  // The provider sent the browser back here through Tally's callback: say how it went on the card,
  // then drop the parameters so a reload or a shared URL doesn't repeat the message.
  useEffect(() => {
    const result = readCallbackResult(search);
    if (!result) return;
    if (result.result === 'account_mismatch') setMismatch({ provider: result.provider, account: result.account });
    else setNotice(result.provider, noticeForCallback(result, PROVIDER_NAMES[result.provider]));
    navigate(`${location}${withoutCallbackParams(search)}`, { replace: true });
  }, [search, location, navigate, setNotice]);

  const authorize = async (provider: ProviderSlug, replaceAccount: boolean) => {
    const { authorizeUrl } = await connectionsApi.authorize(orgId, provider, { returnTo: location, ...(replaceAccount ? { replaceAccount } : {}) });
    window.location.assign(authorizeUrl);
  };

  const connect = async (card: Card) => {
    setConnecting(card.provider);
    setNotice(card.provider, null);
    try {
      await authorize(card.provider, false);
    } catch (error) {
      setConnecting(null);
      setNotice(card.provider, { tone: 'danger', title: `Couldn't start connecting ${card.name}`, text: (error as Error).message });
    }
  };

  const disconnected = (card: Card, revoked: RevokeOutcome, deletedData: boolean) => {
    const data = deletedData ? 'Its synced data was deleted.' : 'Its synced data is kept.';
    if (revoked === 'failed') {
      toast.error(`${card.name} is disconnected, but revoking Tally's access at ${card.name} failed: remove it there by hand. ${data}`);
    } else if (revoked === 'not_supported') {
      toast.success(`${card.name} is disconnected. ${card.name} can't revoke access from here, so remove Tally in its settings too. ${data}`);
    } else {
      toast.success(`${card.name} is disconnected and Tally's access was revoked. ${data}`);
    }
    setNotice(card.provider, null);
    cards.reload();
    sync.reload();
  };

  const syncNow = async (card: Card) => {
    if (!card.connection) return;
    setStartingSync(card.provider);
    try {
      const result = await syncApi.syncNow(orgId, card.connection.id);
      toast.success(`${card.name}: ${result.message}`);
      sync.reload();
    } catch (error) {
      toast.error(`${card.name} could not start syncing: ${(error as Error).message}`);
    } finally {
      setStartingSync(null);
    }
  };

  const mismatchName = mismatch ? cards.data?.items.find((c) => c.provider === mismatch.provider)?.name ?? PROVIDER_NAMES[mismatch.provider] : '';

  return (
    <Page
      title="Connections"
      documentTitle={[organization.name]}
      description={
        admin
          ? `Connect the apps ${organization.name} uses. Tally only reads: usage, seats and spend, never changes.`
          : `The apps ${organization.name} has connected. Only admins connect apps, but you can invite whoever administers one to connect it.`
      }
    >
      {cards.loading ? (
        <LoadingCards />
      ) : cards.error ? (
        <section className={styles.card} aria-label="Connections">
          <ErrorState title="Couldn't load connections" message={cards.error.message} onRetry={cards.reload} />
        </section>
      ) : !cards.data || cards.data.items.length === 0 ? (
        <section className={styles.card} aria-label="Connections">
          <EmptyState icon={<Plug size={22} />} title="No apps to connect">
            This Tally has no providers configured. Check its provider settings.
          </EmptyState>
        </section>
      ) : (
        <div className={styles.cards}>
          {cards.data.items.map((card) => (
            <ProviderCard
              key={card.provider}
              orgId={orgId}
              card={card}
              sync={{ health: sync.data?.connections.find((c) => c.connectionId === card.connection?.id), error: sync.error?.message }}
              startingSync={startingSync === card.provider}
              onSyncNow={() => void syncNow(card)}
              admin={admin}
              notice={notices[card.provider] ?? null}
              onDismissNotice={() => setNotice(card.provider, null)}
              connecting={connecting === card.provider}
              onConnect={() => void connect(card)}
              onPersonalToken={() => setTokenFor(card)}
              onInvite={() => setInviteFor(card)}
              onDisconnect={() => setDisconnecting(card)}
              extra={
                card.provider === 'bitbucket' && card.connection ? (
                  <MemberEmailsSection
                    orgId={orgId}
                    connectionId={card.connection.id}
                    name={card.name}
                    admin={admin}
                    syncedAt={sync.data?.connections.find((c) => c.connectionId === card.connection?.id)?.lastRun?.finishedAt ?? undefined}
                  />
                ) : undefined
              }
            />
          ))}
        </div>
      )}

      {admin ? <ConnectInvitationsCard orgId={orgId} invitations={invitations} /> : null}

      <InviteAdminDialog
        orgId={orgId}
        orgName={organization.name}
        card={inviteFor}
        onClose={() => setInviteFor(null)}
        onInvited={invitations.reload}
      />
      {admin ? (
        <>
          <PersonalTokenDialog
            orgId={orgId}
            card={tokenFor}
            onClose={() => setTokenFor(null)}
            onConnected={(card, result) => {
              setNotice(card.provider, {
                tone: 'success',
                title: `${card.name} is ${result}`,
                text: `Tally checked the ${card.personalToken.label.toLowerCase()} and stored it encrypted.`,
              });
              cards.reload();
              sync.reload();
            }}
          />
          <DisconnectDialog orgId={orgId} card={disconnecting} onClose={() => setDisconnecting(null)} onDisconnected={disconnected} />
          <ConfirmDialog
            open={mismatch !== null}
            tone="primary"
            title={`Replace the connected ${mismatchName} account?`}
            confirmLabel="Replace account"
            onClose={() => {
              if (mismatch && !replacing.current) {
                setNotice(mismatch.provider, {
                  tone: 'info',
                  title: 'Nothing changed',
                  text: `${mismatch.account ?? 'The connected account'} stays connected to ${mismatchName}.`,
                });
              }
              setMismatch(null);
            }}
            onConfirm={async () => {
              if (!mismatch) return;
              await authorize(mismatch.provider, true);
              replacing.current = true;
            }}
          >
            You signed in at {mismatchName} as a different account than the one connected now ({mismatch?.account ?? 'unknown'}). Replacing it keeps
            the connection's history and syncs the new account from now on. You'll confirm at {mismatchName} once more.
          </ConfirmDialog>
        </>
      ) : null}
    </Page>
  );
}

/** How often the page asks again while a sync runs or waits: quick enough to see it finish. */
const SYNC_POLL_MS = 2500;

/** Each connection's last sync and whether one runs now, asked again while one is under way. */
function useSyncHealth(orgId: string) {
  const health = useResource(`sync-health:${orgId}`, () => syncApi.health(orgId));
  const inProgress = health.data ? syncInProgress(health.data.connections) : false;
  const { reload } = health;
  useEffect(() => {
    if (!inProgress || health.error) return;
    const timer = window.setTimeout(reload, SYNC_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [inProgress, health.data, health.error, reload]);
  return health;
}

function LoadingCards() {
  return (
    <div className={styles.cards} aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading…
      </span>
      {[0, 1].map((i) => (
        <div key={i} className={styles.card}>
          <div className={styles.cardHeader}>
            <Skeleton width={44} height={44} radius={10} />
            <div className={styles.cardHeading}>
              <Skeleton width="30%" height={16} />
              <Skeleton width="60%" height={12} />
            </div>
          </div>
          <div className={styles.cardBody}>
            <Skeleton width="45%" height={12} />
            <Skeleton width="35%" height={12} style={{ marginTop: 10 }} />
          </div>
        </div>
      ))}
    </div>
  );
}
