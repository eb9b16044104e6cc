import { Activity, ListChecks } from 'lucide-react';
import { type AppDetail, analyticsApi, readAll } from '../../api/analytics.ts';
import { BarList } from '../../charts/BarList.tsx';
import { shortDateLabel, weekLabel } from '../../charts/chartFormat.ts';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart.tsx';
import { useResource } from '../../lib/useResource.ts';
import { Card } from '../../ui/Card.tsx';
import { describeRange } from '../../ui/dateRange.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { formatCount, formatPercent } from '../../ui/numbers.ts';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { useDateRange } from '../../ui/useDateRange.ts';
import { activeSeries, featureWeeks } from './appData.ts';
import styles from './Apps.module.css';
import { InvoicesCard } from './InvoicesCard.tsx';
import { LevelBar } from './LevelBar.tsx';
import { LEVEL_VIEW, USAGE_LEVELS } from './levels.ts';
import { MembersTable } from './MembersTable.tsx';

const count = (n: number) => formatCount(n);

/** A people-based app (Bitbucket): activity over time, usage levels, feature adoption, members, seat spend. */
export function PeopleAppSections({ orgId, detail, window }: { orgId: string; detail: AppDetail; window: '7' | '30' | '90' }) {
  const { app } = detail;
  const [range] = useDateRange();
  const members = useResource(`app-members:${orgId}:${app.appId}:${window}:${range.from}:${range.to}`, () =>
    readAll((limit, offset) => analyticsApi.appMembers(orgId, app.appId, { window, from: range.from, to: range.to, limit, offset })),
  );
  const active = activeSeries(detail.activeOverTime, app.seats);
  const last = detail.activeOverTime[detail.activeOverTime.length - 1];
  const weekly = featureWeeks(detail.features);
  const period = describeRange(range).toLowerCase();

  return (
    <>
      <div className={styles.split}>
        <Card title="Active people over time" description={`People with activity in the trailing 7, 30 and 90 days, each day of ${period}`}>
          {detail.activeOverTime.length === 0 ? (
            <EmptyState compact icon={<Activity size={22} />} title="No activity in this range">
              Pick a longer range, or wait for the first sync to read the workspace's history.
            </EmptyState>
          ) : (
            <TimeSeriesChart
              title="Active people over time"
              summary={last ? `On ${shortDateLabel(last.day)}: ${last.active7} active in 7 days, ${last.active30} in 30 days, ${last.active90} in 90 days${app.seats !== null ? `, of ${app.seats} seats` : ''}.` : ''}
              data={active.data}
              series={active.series}
              kind="line"
              formatValue={count}
            />
          )}
        </Card>
        <Card title="Seats by usage level" description="As of today">
          <LevelBar counts={app.usageLevels} />
          <dl className={styles.cardNote}>
            {USAGE_LEVELS.map((level) => (
              <div key={level} className={styles.levelDefinition}>
                <dt>{LEVEL_VIEW[level].label}</dt>
                <dd>{LEVEL_VIEW[level].description}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>

      <div className={styles.split}>
        <Card title="Feature adoption by week" description="People using each feature, week by week">
          {weekly.data.length === 0 ? (
            <EmptyState compact icon={<ListChecks size={22} />} title="No feature use in this range">
              Commits, pull requests, reviews, pipelines and deployments show up here week by week.
            </EmptyState>
          ) : (
            <TimeSeriesChart
              title="Feature adoption by week"
              summary={`Weekly users of ${detail.features.map((f) => f.label).join(', ')} from ${weekLabel(weekly.data[0]!.date).toLowerCase()}.`}
              data={weekly.data}
              series={weekly.series}
              kind="line"
              formatValue={count}
              formatX={shortDateLabel}
              formatXLong={weekLabel}
            />
          )}
        </Card>
        <Card title="Features" description={`People using each in the last ${window} days, and their share of the seats`}>
          {detail.features.length === 0 ? (
            <p className={styles.muted}>No features used yet.</p>
          ) : (
            <BarList
              label="Feature adoption"
              items={[...detail.features]
                .sort((a, b) => b.users - a.users)
                .map((f) => ({
                  key: f.feature,
                  label: f.label,
                  amount: f.users,
                  value: `${formatCount(f.users)} ${f.users === 1 ? 'person' : 'people'}`,
                  detail: `${f.adoption === null ? 'Share unknown' : `${formatPercent(f.adoption)} of seats`} · ${formatCount(f.count)} in all${f.basic ? ' · basic' : ''}`,
                }))}
            />
          )}
        </Card>
      </div>

      <Card title="Members" description={`Every account with its level and last activity; counts cover ${period}`} flush>
        {members.loading ? (
          <div className={styles.cardLoading} aria-busy="true">
            <span className="visually-hidden" role="status">
              Loading members…
            </span>
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={16} />
            ))}
          </div>
        ) : members.error ? (
          <ErrorState compact title="Couldn't load the members" message={members.error.message} onRetry={members.reload} />
        ) : (
          <MembersTable orgId={orgId} appName={app.name} members={members.data?.items ?? []} features={detail.features} period={period} />
        )}
        <p className={styles.note}>{detail.activityNote}</p>
      </Card>

      <InvoicesCard orgId={orgId} app={app} invoices={detail.invoices} />
    </>
  );
}
