import { AppWindow, BadgeDollarSign, Boxes, Gauge, UserCheck, UserX } from 'lucide-react';
import { type AppDetail, analyticsApi } from '../../api/analytics.ts';
import { ApiError } from '../../api/client.ts';
import { Meter, utilizationTone } from '../../charts/Meter.tsx';
import { formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Alert } from '../../ui/Alert.tsx';
import { ButtonLink } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { DateRangePicker } from '../../ui/DateRangePicker.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { formatCount, formatMoney, formatPercent, sumDecimals } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { SegmentedControl } from '../../ui/SegmentedControl.tsx';
import { StatGrid, StatTile } from '../../ui/StatTile.tsx';
import { useDateRange, useQueryParam } from '../../ui/useDateRange.ts';
import { PROVIDER_NAMES } from '../connections/ProviderLogo.tsx';
import { CloudAppSections } from './CloudAppSections.tsx';
import { WINDOW_OPTIONS, isWindow } from './levels.ts';
import styles from './Apps.module.css';
import { PeopleAppSections } from './PeopleAppSections.tsx';

/** One app (one connection): its seats, activity, features, members, and for DigitalOcean its resources and invoices. */
export function AppPage({ appId }: { appId: string }) {
  const { organization } = useOrganization();
  const orgId = organization.id;
  const [range] = useDateRange();
  const [windowParam, setWindow] = useQueryParam('window', '30');
  const activityWindow = isWindow(windowParam) ? windowParam : '30';
  const detail = useResource(`app:${orgId}:${appId}:${activityWindow}:${range.from}:${range.to}`, () =>
    analyticsApi.app(orgId, appId, { window: activityWindow, from: range.from, to: range.to }),
  );
  const app = detail.data?.app;

  return (
    <Page
      title={app?.name ?? 'App'}
      eyebrow={app ? `${PROVIDER_NAMES[app.provider]}${app.planName ? ` · ${app.planName}` : ''}` : undefined}
      description={app ? (app.lastSyncAt ? `Last synced ${formatRelative(app.lastSyncAt)}.` : 'Not synced yet.') : undefined}
      documentTitle={[organization.name]}
      actions={
        <>
          {app?.peopleBased !== false ? <SegmentedControl label="Activity window" value={activityWindow} options={WINDOW_OPTIONS} onChange={setWindow} /> : null}
          <DateRangePicker />
        </>
      }
    >
      {detail.loading ? (
        <LoadingBlock what="the app" />
      ) : detail.error && !detail.data ? (
        <Card>
          {detail.error instanceof ApiError && detail.error.status === 404 ? (
            <EmptyState
              headingLevel={2}
              icon={<AppWindow size={22} />}
              title="This app isn't connected here"
              action={
                <ButtonLink href={organizationPath(orgId, 'apps')} variant="primary">
                  See connected apps
                </ButtonLink>
              }
            >
              {detail.error.message}
            </EmptyState>
          ) : (
            <ErrorState title="Couldn't load this app" message={detail.error.message} onRetry={detail.reload} headingLevel={2} />
          )}
        </Card>
      ) : detail.data ? (
        <AppBody orgId={orgId} detail={detail.data} window={activityWindow} />
      ) : null}
    </Page>
  );
}

function AppBody({ orgId, detail, window }: { orgId: string; detail: AppDetail; window: '7' | '30' | '90' }) {
  const { app } = detail;
  return (
    <>
      {app.connectionStatus === 'needs_reconnect' ? (
        <Alert tone="warning" title={`${app.name} needs Reconnect`} action={<ButtonLink href={organizationPath(orgId, 'connections')} size="sm">Open Connections</ButtonLink>}>
          Syncing is paused, so these figures stop at the last sync{app.lastSyncAt ? ` (${formatRelative(app.lastSyncAt)})` : ''}.
        </Alert>
      ) : app.computedAt === null ? (
        <Alert tone="info" title="The first sync is still running">
          Figures fill in when it finishes; Sync health shows how far it got.
        </Alert>
      ) : null}
      <StatGrid label={`${app.name} figures`}>
        {app.peopleBased ? (
          <>
            <StatTile
              icon={<UserCheck size={15} />}
              label="Seats"
              value={app.seats === null ? '—' : formatCount(app.seats)}
              detail={app.seatSource === 'override' ? 'Set by an admin' : app.seatSource === 'provider' ? 'Members of the workspace' : 'Unknown: set a seat count'}
            />
            <StatTile icon={<UserCheck size={15} />} label={`Active (${window} days)`} value={formatCount(app.active)} detail={`${formatCount(app.usageLevels.engaged)} engaged, ${formatCount(app.usageLevels.few_features)} with few features`} />
            <StatTile icon={<UserX size={15} />} label="Inactive seats" value={app.inactiveSeats === null ? '—' : formatCount(app.inactiveSeats)} detail={app.pricePerSeat ? `${formatMoney(app.pricePerSeat)} per seat a month` : 'No price per seat set'} />
            <StatTile
              icon={<Gauge size={15} />}
              label="Utilization"
              value={app.utilization === null ? '—' : formatPercent(app.utilization)}
              detail={app.utilization === null ? 'Needs a seat count' : <Meter ratio={app.utilization} label={`${app.name} utilization`} valueText={formatPercent(app.utilization)} tone={utilizationTone(app.utilization)} />}
            />
          </>
        ) : (
          <>
            <StatTile icon={<Boxes size={15} />} label="Resources running" value={formatCount(app.resources)} detail={`${detail.resourcesByProject.length} projects, ${detail.resourcesByRegion.length} regions`} />
            <StatTile icon={<BadgeDollarSign size={15} />} label="Spend this month" value={formatMoney(app.spendMonthToDate)} detail={`So far · last month ${formatMoney(app.spendLastMonth)}`} />
            <StatTile
              icon={<BadgeDollarSign size={15} />}
              label="Running resources cost"
              value={
                <>
                  {formatMoney(sumDecimals(detail.resourcesByType.map((t) => t.monthlyCost)))}
                  <span className={styles.perMonth}>/mo</span>
                </>
              }
              detail="At the last invoice, else list price"
            />
          </>
        )}
      </StatGrid>
      {app.peopleBased ? <PeopleAppSections orgId={orgId} detail={detail} window={window} /> : <CloudAppSections orgId={orgId} detail={detail} />}
    </>
  );
}
