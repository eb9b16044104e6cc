import { useState } from 'react';
import { CalendarDays, Link2, UserRound } from 'lucide-react';
import { type PersonDetail, analyticsApi } from '../../api/analytics.ts';
import { ApiError } from '../../api/client.ts';
import { longDateLabel } from '../../charts/chartFormat.ts';
import { StackedBarChart } from '../../charts/StackedBarChart.tsx';
import { formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Button, ButtonLink } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { type DateRange, describeRange } from '../../ui/dateRange.ts';
import { DateRangePicker } from '../../ui/DateRangePicker.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { formatCount } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { StatGrid, StatTile } from '../../ui/StatTile.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useDateRange } from '../../ui/useDateRange.ts';
import { LinkAccountDialog } from './LinkAccountDialog.tsx';
import { LinkedAccountsCard } from './LinkedAccountsCard.tsx';
import styles from './People.module.css';
import { STATUS_VIEW, featureCount, timelineBuckets, timelineByDay } from './peopleData.ts';
import { ProposalsCard } from './ProposalsCard.tsx';

/** One person: their accounts across apps (with link actions) and their activity day by day. */
export function PersonPage({ personId }: { personId: string }) {
  const { organization, role } = useOrganization();
  const orgId = organization.id;
  const admin = role === 'owner' || role === 'admin';
  const toast = useToast();
  const [range] = useDateRange();
  const detail = useResource(`person:${orgId}:${personId}:${range.from}:${range.to}`, () => analyticsApi.person(orgId, personId, { from: range.from, to: range.to }));
  const apps = useResource(`apps:${orgId}:30`, () => analyticsApi.apps(orgId));
  const [linking, setLinking] = useState(false);
  const person = detail.data?.person;

  return (
    <Page
      title={person?.displayName ?? 'Person'}
      eyebrow="Person"
      description={person ? [person.primaryEmail, person.lastActivityDay ? `last active ${formatRelative(`${person.lastActivityDay}T12:00:00Z`)}` : 'no activity seen'].filter(Boolean).join(' · ') : undefined}
      documentTitle={[organization.name]}
      actions={
        <>
          {admin && person ? (
            <Button icon={<Link2 size={16} aria-hidden="true" />} onClick={() => setLinking(true)} disabled={!apps.data}>
              Link an account
            </Button>
          ) : null}
          <DateRangePicker />
        </>
      }
    >
      {detail.loading ? (
        <LoadingBlock what="this person" tiles={3} panels={2} />
      ) : detail.error && !detail.data ? (
        <Card>
          {detail.error instanceof ApiError && detail.error.status === 404 ? (
            <EmptyState
              headingLevel={2}
              icon={<UserRound size={22} />}
              title="This person isn't in the directory"
              action={
                <ButtonLink href={organizationPath(orgId, 'people')} variant="primary">
                  Back to People
                </ButtonLink>
              }
            >
              {detail.error.message}
            </EmptyState>
          ) : (
            <ErrorState title="Couldn't load this person" message={detail.error.message} onRetry={detail.reload} headingLevel={2} />
          )}
        </Card>
      ) : detail.data ? (
        <PersonBody orgId={orgId} detail={detail.data} admin={admin} range={range} onChanged={detail.reload} />
      ) : null}
      {person ? (
        <LinkAccountDialog
          orgId={orgId}
          open={linking}
          personId={personId}
          personName={person.displayName}
          apps={apps.data?.items ?? []}
          onClose={() => setLinking(false)}
          onLinked={(account) => {
            toast.success(`${account} is now linked to ${person.displayName}.`);
            detail.reload();
          }}
        />
      ) : null}
    </Page>
  );
}

/** Days listed under the chart before "Show more". */
const DAYS_SHOWN = 14;

function PersonBody({ orgId, detail, admin, range, onChanged }: { orgId: string; detail: PersonDetail; admin: boolean; range: DateRange; onChanged: () => void }) {
  const rangeLabel = describeRange(range).toLowerCase();
  const [daysShown, setDaysShown] = useState(DAYS_SHOWN);
  const { person } = detail;
  const apps = detail.accounts.map((a) => a.app);
  const days = timelineByDay(detail.timeline);
  const chart = timelineBuckets(detail.timeline, apps, range);
  const appName = (appId: string) => apps.find((a) => a.appId === appId)?.name ?? 'Another app';
  const total = days.reduce((sum, d) => sum + d.total, 0);

  return (
    <>
      <StatGrid label={`${person.displayName} figures`}>
        <StatTile label="Status" value={<Badge tone={STATUS_VIEW[person.status].tone}>{STATUS_VIEW[person.status].label}</Badge>} detail={person.lastActivityDay ? `Last active ${longDateLabel(person.lastActivityDay)}` : 'No activity seen in any app'} />
        <StatTile label="Active days" value={formatCount(days.length)} detail={`In ${rangeLabel}`} />
        <StatTile label="Accounts" value={formatCount(detail.accounts.length)} detail={`In ${new Set(apps.map((a) => a.appId)).size} ${new Set(apps.map((a) => a.appId)).size === 1 ? 'app' : 'apps'}`} />
      </StatGrid>

      <ProposalsCard orgId={orgId} proposals={detail.proposals} admin={admin} showPerson={false} onChanged={onChanged} />

      <LinkedAccountsCard orgId={orgId} detail={detail} admin={admin} onChanged={onChanged} />

      <Card title="Activity timeline" description={`Everything ${person.displayName} did across apps in ${rangeLabel}`} flush>
        {days.length === 0 ? (
          <EmptyState compact icon={<CalendarDays size={22} />} title="No activity in this range">
            Commits, pull requests, reviews, pipelines and deployments show up here day by day. Pick a longer range to look further back.
          </EmptyState>
        ) : (
          <>
            <div className={styles.chartPad}>
              <StackedBarChart
                title="Activity per day by app"
                summary={`${formatCount(total)} actions on ${formatCount(days.length)} days in ${rangeLabel}.`}
                data={chart.data}
                series={chart.series}
                formatValue={(n) => formatCount(n)}
                height={200}
              />
            </div>
            <ol className={styles.days} aria-label="Days with activity, newest first">
              {days.slice(0, daysShown).map((day) => (
                <li key={day.day} className={styles.day}>
                  <time dateTime={day.day} className={styles.dayDate}>
                    {longDateLabel(day.day)}
                  </time>
                  <ul className={styles.dayApps}>
                    {day.apps.map((app) => (
                      <li key={app.appId} className={styles.dayApp}>
                        <span className={styles.dayAppName}>{appName(app.appId)}</span>
                        <span className={styles.muted}>{app.entries.map((e) => featureCount(e.feature, e.count)).join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
            {days.length > daysShown ? (
              <div className={styles.showAll}>
                <Button size="sm" variant="ghost" onClick={() => setDaysShown((n) => n + DAYS_SHOWN * 2)}>
                  Show earlier days ({formatCount(days.length - daysShown)} more)
                </Button>
              </div>
            ) : null}
          </>
        )}
        <p className={styles.note}>{detail.activityNote}</p>
      </Card>
    </>
  );
}
