import { BadgeDollarSign, Gauge, LayoutDashboard, PiggyBank, UsersRound } from 'lucide-react';
import { analyticsApi } from '../../api/analytics.ts';
import { Meter, utilizationTone } from '../../charts/Meter.tsx';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Alert } from '../../ui/Alert.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { DateRangePicker } from '../../ui/DateRangePicker.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { formatCount, formatMoney, formatPercent } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { SegmentedControl } from '../../ui/SegmentedControl.tsx';
import { Change, StatGrid, StatTile } from '../../ui/StatTile.tsx';
import { useDateRange, useQueryParam } from '../../ui/useDateRange.ts';
import { WINDOW_OPTIONS, isWindow } from '../apps/levels.ts';
import { MonthlySpendCard } from '../spend/MonthlySpendCard.tsx';
import { AppsActivityCard, AttentionCard, SavingsCard, SpendByAppCard } from './OverviewCards.tsx';
import styles from './Overview.module.css';

/** Overview: spend, seats and activity across every app, the biggest savings and what needs attention. */
export function OverviewPage() {
  const { organization } = useOrganization();
  const orgId = organization.id;
  const [range] = useDateRange();
  const [windowParam, setWindow] = useQueryParam('window', '30');
  const activityWindow = isWindow(windowParam) ? windowParam : '30';
  const overview = useResource(`overview:${orgId}:${activityWindow}`, () => analyticsApi.overview(orgId, activityWindow));
  const spend = useResource(`spend:${orgId}:${range.from}:${range.to}`, () => analyticsApi.spend(orgId, { from: range.from, to: range.to }));

  const data = overview.data;
  return (
    <Page
      title="Overview"
      documentTitle={[organization.name]}
      description={data && data.apps > 0 ? `${organization.name} across ${data.apps === 1 ? 'one app' : `${data.apps} apps`}: what it spends, who uses what, and where money goes unused.` : undefined}
      actions={
        <>
          <SegmentedControl label="Activity window" value={activityWindow} options={WINDOW_OPTIONS} onChange={setWindow} />
          <DateRangePicker />
        </>
      }
    >
      {overview.loading ? (
        <LoadingBlock what="the overview" />
      ) : overview.error && !data ? (
        <Card>
          <ErrorState title="Couldn't load the overview" message={overview.error.message} onRetry={overview.reload} headingLevel={2} />
        </Card>
      ) : !data || data.apps === 0 ? (
        <ConnectFirst orgId={orgId} title="Connect DigitalOcean to see spend" icon={<LayoutDashboard size={22} />} actionLabel="Connect an app">
          Connect DigitalOcean to see what your cloud costs and which resources sit idle, and Bitbucket Cloud to see seats against the people who actually use them.
        </ConnectFirst>
      ) : (
        <>
          {data.computedAt === null ? (
            <Alert tone="info" title="Tally is still reading your apps">
              The first sync is under way; the figures fill in when it finishes. Sync health shows how far it got.
            </Alert>
          ) : null}
          <StatGrid label="Headline figures">
            <StatTile
              icon={<BadgeDollarSign size={15} />}
              label="Spend this month"
              value={formatMoney(data.spend.monthToDate)}
              detail={
                <>
                  Forecast {formatMoney(data.spend.forecastMonthEnd)} ·{' '}
                  <Change ratio={data.spend.changeVsLastMonth.ratio} good="down" against="vs. last month" />
                </>
              }
            />
            <StatTile
              icon={<UsersRound size={15} />}
              label={`Active (${activityWindow} days)`}
              value={formatCount(data.active)}
              detail={data.seats > 0 ? `of ${formatCount(data.seats)} seats · ${formatCount(data.inactiveSeats)} inactive` : 'No seat counts known yet'}
            />
            <StatTile
              icon={<Gauge size={15} />}
              label="Seat utilization"
              value={data.utilization === null ? '—' : formatPercent(data.utilization)}
              detail={
                data.utilization === null ? (
                  'Needs an app with seats (Bitbucket)'
                ) : (
                  <Meter ratio={data.utilization} label="Seat utilization" valueText={formatPercent(data.utilization)} tone={utilizationTone(data.utilization)} />
                )
              }
            />
            <StatTile
              icon={<PiggyBank size={15} />}
              label="Potential savings"
              value={
                <>
                  {formatMoney(data.insights.estimatedMonthlySaving)}
                  <span className={styles.perMonth}>/mo</span>
                </>
              }
              detail={`${formatCount(data.insights.open)} open ${data.insights.open === 1 ? 'insight' : 'insights'}, ${formatCount(data.insights.high)} high`}
            />
          </StatGrid>

          <div className={styles.split}>
            <MonthlySpendCard orgId={orgId} spend={spend} range={range} apps={data.appSummaries} />
            <SpendByAppCard orgId={orgId} apps={data.appSummaries} />
          </div>

          <AppsActivityCard orgId={orgId} apps={data.appSummaries} window={activityWindow} note={data.activityNote} />

          <div className={styles.split}>
            <SavingsCard orgId={orgId} insights={data.topInsights} total={data.insights.estimatedMonthlySaving} open={data.insights.open} />
            <AttentionCard orgId={orgId} apps={data.appSummaries} />
          </div>
        </>
      )}
    </Page>
  );
}
