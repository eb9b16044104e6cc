import { useEffect, useState } from 'react';
import { Activity } from 'lucide-react';
import { syncApi } from '../../api/sync.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { Page } from '../../ui/Page.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { ConnectionHealthCard } from './ConnectionHealthCard.tsx';
import { ProviderEventsCard, QuarantineCard } from './EventsCards.tsx';
import { syncInProgress } from './syncStatus.ts';

/** How often the page asks again while a sync runs: quick enough to watch a run finish. */
const POLL_MS = 2500;
/** And while none runs, so a scheduled sync or another admin's Sync now shows up without a reload. */
const IDLE_POLL_MS = 15_000;

/** Sync health: per connection how syncing goes, its recent runs, and what the providers answered. */
export function SyncHealthPage() {
  const { organization, role } = useOrganization();
  const orgId = organization.id;
  // Sync now is an admin route; members see the same health without the button.
  const admin = role === 'owner' || role === 'admin';
  const toast = useToast();
  const health = useResource(`sync-health:${orgId}`, () => syncApi.health(orgId));
  const [starting, setStarting] = useState<string | null>(null);

  const inProgress = health.data ? syncInProgress(health.data.connections) : false;
  const { reload } = health;
  useEffect(() => {
    if (health.error) return;
    const timer = window.setTimeout(reload, inProgress ? POLL_MS : IDLE_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [inProgress, health.data, health.error, reload]);

  const syncNow = async (connectionId: string, name: string) => {
    setStarting(connectionId);
    try {
      const result = await syncApi.syncNow(orgId, connectionId);
      toast.success(result.queued ? `${name}: ${result.message}` : result.message);
      reload();
    } catch (error) {
      toast.error(`${name} could not start syncing: ${(error as Error).message}`);
    } finally {
      setStarting(null);
    }
  };

  const connections = health.data?.connections.filter((c) => c.status !== 'disconnected') ?? [];
  // Events and quarantined records name their app by connection; disconnected ones fall back to the provider.
  const appNames = new Map(health.data?.connections.map((c) => [c.connectionId, c.appName]));

  return (
    <Page
      title="Sync health"
      documentTitle={[organization.name]}
      description="How Tally's reads of each app are going: every run with its requests, records, retries and rate-limit waits, and anything odd the providers answered."
    >
      {health.loading ? (
        <LoadingBlock what="sync health" tiles={0} panels={2} />
      ) : health.error && !health.data ? (
        <Card>
          <ErrorState title="Couldn't load sync health" message={health.error.message} onRetry={reload} headingLevel={2} />
        </Card>
      ) : connections.length === 0 ? (
        <ConnectFirst orgId={orgId} title="Nothing syncs yet" icon={<Activity size={22} />} actionLabel="Connect an app">
          Connect DigitalOcean or Bitbucket Cloud and Tally starts reading right away. Each run, with its requests, retries and anything the provider refused,
          shows up here.
        </ConnectFirst>
      ) : (
        <>
          {connections.map((connection) => (
            <ConnectionHealthCard
              key={connection.connectionId}
              orgId={orgId}
              health={connection}
              admin={admin}
              starting={starting === connection.connectionId}
              onSyncNow={(name) => void syncNow(connection.connectionId, name)}
            />
          ))}
          <ProviderEventsCard events={health.data?.providerHealth ?? []} names={appNames} />
          <QuarantineCard records={health.data?.quarantine ?? []} names={appNames} />
        </>
      )}
    </Page>
  );
}
