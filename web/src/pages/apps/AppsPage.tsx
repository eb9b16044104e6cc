import { AppWindow } from 'lucide-react';
import { type AppSummary, analyticsApi } from '../../api/analytics.ts';
import { Meter, utilizationTone } from '../../charts/Meter.tsx';
import { formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { formatCount, formatMoney, formatPercent } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { SegmentedControl } from '../../ui/SegmentedControl.tsx';
import { useQueryParam } from '../../ui/useDateRange.ts';
import { AppName } from './AppName.tsx';
import styles from './Apps.module.css';
import { LevelBar } from './LevelBar.tsx';
import { WINDOW_OPTIONS, isWindow } from './levels.ts';

/** Apps: one card per connected app with its seats, activity and spend, leading to the app's page. */
export function AppsPage() {
  const { organization } = useOrganization();
  const orgId = organization.id;
  const [windowParam, setWindow] = useQueryParam('window', '30');
  const activityWindow = isWindow(windowParam) ? windowParam : '30';
  const apps = useResource(`apps:${orgId}:${activityWindow}`, () => analyticsApi.apps(orgId, activityWindow));

  return (
    <Page
      title="Apps"
      documentTitle={[organization.name]}
      description="Every connected app with its seats, the people active in them and what it costs."
      actions={<SegmentedControl label="Activity window" value={activityWindow} options={WINDOW_OPTIONS} onChange={setWindow} />}
    >
      {apps.loading ? (
        <LoadingBlock what="apps" tiles={0} panels={2} />
      ) : apps.error && !apps.data ? (
        <Card>
          <ErrorState title="Couldn't load the apps" message={apps.error.message} onRetry={apps.reload} headingLevel={2} />
        </Card>
      ) : !apps.data || apps.data.items.length === 0 ? (
        <ConnectFirst orgId={orgId} title="No apps connected yet" icon={<AppWindow size={22} />} actionLabel="Connect an app">
          Connect DigitalOcean to see spend and idle resources, or Bitbucket Cloud to see seats against the people who use them.
        </ConnectFirst>
      ) : (
        <ul className={styles.appCards} aria-label="Connected apps">
          {apps.data.items.map((app) => (
            <li key={app.appId}>
              <AppCard orgId={orgId} app={app} window={activityWindow} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function AppCard({ orgId, app, window }: { orgId: string; app: AppSummary; window: string }) {
  return (
    <article className={styles.appCard} aria-label={app.name}>
      <div className={styles.appCardHeader}>
        <h2 className={styles.appCardTitle}>
          <AppName orgId={orgId} app={app} />
        </h2>
        {app.connectionStatus === 'needs_reconnect' ? (
          <Badge tone="warning" dot>
            Reconnect needed
          </Badge>
        ) : app.lastSyncStatus === 'failed' ? (
          <Badge tone="danger" dot>
            Sync failed
          </Badge>
        ) : (
          <Badge tone="success" dot>
            {app.lastSyncAt ? `Synced ${formatRelative(app.lastSyncAt)}` : 'Connected'}
          </Badge>
        )}
      </div>
      {app.planName ? <p className={styles.muted}>{app.planName}</p> : null}
      <dl className={styles.appCardFacts}>
        {app.peopleBased ? (
          <>
            <div>
              <dt>Seats</dt>
              <dd>{app.seats === null ? '—' : formatCount(app.seats)}</dd>
            </div>
            <div>
              <dt>Active ({window} d)</dt>
              <dd>{formatCount(app.active)}</dd>
            </div>
          </>
        ) : (
          <>
            <div>
              <dt>Resources</dt>
              <dd>{formatCount(app.resources)}</dd>
            </div>
            <div>
              <dt>Last month</dt>
              <dd>{formatMoney(app.spendLastMonth, 'USD', 'whole')}</dd>
            </div>
          </>
        )}
        <div>
          <dt>This month</dt>
          <dd>{formatMoney(app.spendMonthToDate, 'USD', 'whole')}</dd>
        </div>
      </dl>
      {app.peopleBased && app.utilization !== null ? (
        <>
          <div className={styles.utilization}>
            <span>Utilization</span>
            <Meter ratio={app.utilization} label={`${app.name} utilization`} valueText={formatPercent(app.utilization)} tone={utilizationTone(app.utilization)} />
            <strong>{formatPercent(app.utilization)}</strong>
          </div>
          <LevelBar counts={app.usageLevels} compact />
        </>
      ) : null}
    </article>
  );
}
