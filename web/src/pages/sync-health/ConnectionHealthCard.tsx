import type { ReactNode } from 'react';
import { RefreshCw } from 'lucide-react';
import type { ConnectionSyncHealth } from '../../api/sync.ts';
import { syncApi } from '../../api/sync.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button, ButtonLink } from '../../ui/Button.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { formatCount, formatDuration } from '../../ui/numbers.ts';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { PROVIDER_NAMES, ProviderLogo } from '../connections/ProviderLogo.tsx';
import { RunsTable } from './RunsTable.tsx';
import styles from './SyncHealth.module.css';
import { recordsTouched, syncState } from './syncStatus.ts';

export interface ConnectionHealthCardProps {
  orgId: string;
  health: ConnectionSyncHealth;
  admin: boolean;
  starting: boolean;
  onSyncNow: (name: string) => void;
}

function When({ iso, empty = '—' }: { iso: string | null; empty?: string }) {
  if (!iso) return <>{empty}</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

/** One connection: its state, the last run's figures, what went wrong, and its recent runs. */
export function ConnectionHealthCard({ orgId, health, admin, starting, onSyncNow }: ConnectionHealthCardProps) {
  const name = PROVIDER_NAMES[health.provider];
  const account = health.accountName;
  const view = syncState(health);
  const run = health.running ?? health.lastRun;
  const busy = view.state === 'running' || view.state === 'queued';
  const headingId = `sync-${health.connectionId}-title`;
  // Runs reload when a run starts or finishes, not on every poll in between.
  const runsKey = `sync-runs:${orgId}:${health.connectionId}:${health.running?.id ?? ''}:${health.lastRun?.id ?? ''}:${health.lastRun?.status ?? ''}`;
  const runs = useResource(runsKey, () => syncApi.runs(orgId, { connectionId: health.connectionId, limit: 25 }));

  return (
    <section className={styles.card} aria-labelledby={headingId}>
      <header className={styles.header}>
        <ProviderLogo provider={health.provider} size={40} />
        <div className={styles.heading}>
          <h2 id={headingId} className={styles.title}>
            {name}
            {account ? <span className={styles.account}>{account}</span> : null}
          </h2>
          <p className={styles.subtitle}>
            Activity every {formatMinutes(health.schedule.activityEveryMinutes)}, billing every {formatMinutes(health.schedule.billingEveryMinutes)}
          </p>
        </div>
        <div className={styles.headerEnd}>
          <Badge tone={view.tone} dot>
            {view.label}
          </Badge>
          {admin && health.status === 'active' ? (
            <Button
              size="sm"
              icon={<RefreshCw size={15} aria-hidden="true" />}
              loading={starting}
              disabled={busy}
              title={busy ? 'A sync of this app is already under way' : undefined}
              onClick={() => onSyncNow(name)}
            >
              Sync now<span className="visually-hidden"> {name}</span>
            </Button>
          ) : null}
        </div>
      </header>

      {view.state === 'paused' ? (
        <div className={styles.notices}>
          <Alert tone="warning" title={`${name} needs Reconnect, so syncing is paused`} action={<ButtonLink href={organizationPath(orgId, 'connections')} size="sm">Open Connections</ButtonLink>}>
            {health.statusReason ?? 'The grant no longer works.'} {admin ? 'Reconnect it to resume from where it stopped.' : 'Ask an admin to reconnect it.'}
          </Alert>
        </div>
      ) : health.lastRun?.error && !health.running ? (
        <div className={styles.notices}>
          <Alert tone="danger" title={`The last sync failed (${health.lastRun.error.code})`}>
            {health.lastRun.error.message}
          </Alert>
        </div>
      ) : null}

      <dl className={styles.facts}>
        <Fact label={health.running ? 'Started' : 'Last sync'}>
          <When iso={run?.startedAt ?? null} empty="Never" />
          {run?.durationMs != null ? <span className={styles.muted}> · took {formatDuration(run.durationMs)}</span> : null}
        </Fact>
        <Fact label="Last success">
          <When iso={health.lastSucceededAt} empty="Not yet" />
        </Fact>
        <Fact label="Next sync">{health.schedule.paused ? 'Paused' : <When iso={health.schedule.nextActivityAt} empty="Not scheduled" />}</Fact>
        <Fact label="Requests">{run ? formatCount(run.requests) : '—'}</Fact>
        <Fact label="Records written">
          {run ? (
            <>
              {formatCount(recordsTouched(run))}
              <span className={styles.muted}>
                {' '}
                (+{formatCount(run.recordsAdded)} ~{formatCount(run.recordsUpdated)} −{formatCount(run.recordsDeleted)})
              </span>
            </>
          ) : (
            '—'
          )}
        </Fact>
        <Fact label="Retries">{run ? formatCount(run.retries) : '—'}</Fact>
        <Fact label="Rate-limit waits">
          {run ? (
            <>
              {formatCount(run.rateLimitWaits)}
              {run.rateLimitWaitMs > 0 ? <span className={styles.muted}> · {formatDuration(run.rateLimitWaitMs)}</span> : null}
            </>
          ) : (
            '—'
          )}
        </Fact>
        <Fact label="Quarantined (30 days)">
          {health.quarantined > 0 ? <Badge tone="warning">{formatCount(health.quarantined)}</Badge> : '0'}
        </Fact>
      </dl>

      {run && run.skipped.length > 0 ? (
        <div className={styles.notices}>
          <Alert tone="info" title={`Left out on purpose in the ${health.running ? 'current' : 'last'} run`}>
            <ul className={styles.skipped}>
              {run.skipped.map((s) => (
                <li key={`${s.stream}:${s.partition}`}>
                  <strong>{s.stream}</strong>
                  {s.partition ? ` (${s.partition})` : ''}: {s.reason}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}

      <div className={styles.runs}>
        <h3 className={styles.runsTitle}>Recent runs</h3>
        {runs.loading ? (
          <div className={styles.runsLoading} aria-busy="true">
            <Skeleton height={14} />
            <Skeleton height={14} width="80%" />
          </div>
        ) : runs.error ? (
          <ErrorState compact title="Couldn't load the runs" message={runs.error.message} onRetry={runs.reload} />
        ) : (
          <RunsTable runs={runs.data?.items ?? []} label={`${name} sync runs`} />
        )}
      </div>
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={styles.fact}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** 60 -> "hour", 360 -> "6 hours", 15 -> "15 minutes", 1440 -> "day". */
function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}
