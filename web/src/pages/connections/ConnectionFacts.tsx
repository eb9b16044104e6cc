import type { ProviderCard as Card } from '../../api/connections.ts';
import type { ConnectionSyncHealth } from '../../api/sync.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Fact, FactNote, Facts } from '../../ui/Facts.tsx';
import { formatCount } from '../../ui/numbers.ts';
import { Link } from 'wouter';
import { recordsTouched, RUN_STATUS_VIEW } from '../sync-health/syncStatus.ts';
import styles from './Connections.module.css';

type Connection = NonNullable<Card['connection']>;

/** What the sync side knows about this connection; `error` when that could not be loaded. */
export type SyncInfo = { health: ConnectionSyncHealth | undefined; error: string | undefined };

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

/** A connected card's body: account, last sync and its result, who connected it, how, and what it reads. */
export function ConnectionFacts({ orgId, card, connection, sync }: { orgId: string; card: Card; connection: Connection; sync: SyncInfo }) {
  const workspaces = connection.account?.workspaces ?? [];
  return (
    <Facts>
      <Fact label="Account">
        <span className={styles.strong}>{connection.account?.name ?? 'Unknown account'}</span>
        {connection.account?.email ? <FactNote>{connection.account.email}</FactNote> : null}
      </Fact>
      {workspaces.length > 0 ? (
        <Fact label={workspaces.length === 1 ? 'Workspace' : 'Workspaces'}>{workspaces.map((w) => w.name).join(', ')}</Fact>
      ) : null}
      <Fact label="Last sync">
        <LastSync orgId={orgId} sync={sync} paused={connection.status !== 'active'} />
      </Fact>
      <Fact label="Connected">
        <span>
          {connection.connectedAt ? <When iso={connection.connectedAt} /> : '—'}
          {connection.connectedBy ? <FactNote> by {connection.connectedBy.name}</FactNote> : null}
        </span>
        <FactNote>{connection.method === 'oauth' ? 'OAuth' : card.personalToken.label}</FactNote>
      </Fact>
      <Fact label="Tally reads" wide>
        <span>{card.reads.join(' · ')}</span>
      </Fact>
      <Fact label="Scopes granted" wide>
        <ScopeList scopes={connection.scopes} />
      </Fact>
    </Facts>
  );
}

/** When the last sync ran and how it went (records written, or the error), or what is happening now. */
function LastSync({ orgId, sync, paused }: { orgId: string; sync: SyncInfo; paused: boolean }) {
  const { health } = sync;
  if (!health) return <span className={styles.muted}>{sync.error ? `Unknown: ${sync.error}` : 'Loading…'}</span>;
  const details = (
    <Link href={organizationPath(orgId, 'sync-health')} className={styles.link}>
      Sync health
    </Link>
  );
  if (health.running) {
    return (
      <>
        <span className={styles.syncLine}>
          <Badge tone="info" dot>
            Syncing now
          </Badge>
        </span>
        <FactNote>
          Started <When iso={health.running.startedAt} /> · {details}
        </FactNote>
      </>
    );
  }
  const run = health.lastRun;
  if (!run) {
    return (
      <>
        <span>{health.queued ? 'Queued, starts shortly' : 'Not synced yet'}</span>
        {!paused && health.schedule.nextActivityAt && !health.queued ? (
          <FactNote>
            {Date.parse(health.schedule.nextActivityAt) <= Date.now() ? (
              'The first sync is due now'
            ) : (
              <>
                Next <When iso={health.schedule.nextActivityAt} />
              </>
            )}
          </FactNote>
        ) : null}
      </>
    );
  }
  const view = RUN_STATUS_VIEW[run.status];
  return (
    <>
      <span className={styles.syncLine}>
        <When iso={run.finishedAt ?? run.startedAt} />
        <Badge tone={view.tone}>{view.label}</Badge>
        {health.queued ? <Badge tone="brand">Queued again</Badge> : null}
      </span>
      {run.error ? <span className={styles.syncError}>{run.error.message}</span> : null}
      <FactNote>
        {formatCount(recordsTouched(run))} records written · {details}
      </FactNote>
    </>
  );
}

export function ScopeList({ scopes }: { scopes: string[] }) {
  if (scopes.length === 0) return <span className={styles.muted}>None reported</span>;
  return (
    <ul className={styles.scopes} aria-label="Scopes">
      {scopes.map((scope) => (
        <li key={scope}>
          <code className={styles.scope}>{scope}</code>
        </li>
      ))}
    </ul>
  );
}
