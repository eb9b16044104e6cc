import { useState } from 'react';
import { Lightbulb, PiggyBank, ShieldAlert, TriangleAlert } from 'lucide-react';
import { type Insight, type InsightState, type Severity, analyticsApi, readAll } from '../../api/analytics.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { describeRange } from '../../ui/dateRange.ts';
import { DateRangePicker } from '../../ui/DateRangePicker.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { formatCount, formatMoney } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { SegmentedControl } from '../../ui/SegmentedControl.tsx';
import { StatGrid, StatTile } from '../../ui/StatTile.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { useDateRange, useQueryParam } from '../../ui/useDateRange.ts';
import { InsightActionDialog } from './InsightActionDialog.tsx';
import { InsightCard } from './InsightCard.tsx';
import styles from './Insights.module.css';
import { ACTION_VIEW, type InsightAction } from './insightState.ts';
import { SEVERITY_VIEW } from './severity.ts';

const STATES = [
  { value: 'open', label: 'Open' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'dismissed', label: 'Dismissed' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
] as const;
type StateFilter = (typeof STATES)[number]['value'];
const isState = (v: string): v is StateFilter => STATES.some((s) => s.value === v);
const PAGE = 25;

/** Insights: what Tally found, with the evidence and the money; admins resolve, snooze or dismiss them with a note. */
export function InsightsPage() {
  const { organization, role } = useOrganization();
  const orgId = organization.id;
  const admin = role === 'owner' || role === 'admin';
  const toast = useToast();
  const [range] = useDateRange();
  const [stateParam, setStateParam] = useQueryParam('state', 'open');
  const state: StateFilter = isState(stateParam) ? stateParam : 'open';
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
  const [appId, setAppId] = useState('all');
  const [limit, setLimit] = useState(PAGE);
  const [acting, setActing] = useState<{ insight: Insight; action: InsightAction } | null>(null);
  const apps = useResource(`apps:${orgId}:30`, () => analyticsApi.apps(orgId));
  const key = `insights:${orgId}:${state}:${severity}:${appId}:${range.from}:${range.to}`;
  const insights = useResource(key, async () => {
    const params = { state: state as InsightState | 'all', from: range.from, to: range.to, ...(severity === 'all' ? {} : { severity }), ...(appId === 'all' ? {} : { appId }) };
    const all = await readAll((l, offset) => analyticsApi.insights(orgId, { ...params, limit: l, offset }), 2000);
    return { items: all.items, total: all.total, totalMonthlySaving: all.first.totalMonthlySaving };
  });

  const items = insights.data?.items ?? [];
  const high = items.filter((i) => i.severity === 'high').length;
  const security = items.filter((i) => i.kind === 'droplet_without_firewall' || i.kind === 'member_without_two_step' || i.kind === 'unused_admin').length;

  return (
    <Page
      title="Insights"
      documentTitle={[organization.name]}
      description="What Tally found in your apps: money spent on nothing, risks, and connections in trouble, each with its evidence."
      actions={<DateRangePicker />}
    >
      {apps.data?.items.length === 0 ? (
        <ConnectFirst orgId={orgId} title="Connect an app to get insights" icon={<Lightbulb size={22} />} actionLabel="Connect an app">
          Tally looks for idle droplets, unattached volumes, seats nobody uses, admins who never sign in and connections that stopped syncing.
        </ConnectFirst>
      ) : (
        <>
          <div className={styles.toolbar}>
            <SegmentedControl
              label="Insight state"
              value={state}
              options={STATES}
              onChange={(value) => {
                setStateParam(value);
                setLimit(PAGE);
              }}
            />
            <select className={styles.filter} value={severity} onChange={(e) => setSeverity(e.target.value as Severity | 'all')} aria-label="Filter by severity">
              <option value="all">Any severity</option>
              {(['high', 'medium', 'low'] as const).map((s) => (
                <option key={s} value={s}>
                  {SEVERITY_VIEW[s].label}
                </option>
              ))}
            </select>
            {(apps.data?.items.length ?? 0) > 1 ? (
              <select className={styles.filter} value={appId} onChange={(e) => setAppId(e.target.value)} aria-label="Filter by app">
                <option value="all">Any app</option>
                {apps.data?.items.map((a) => (
                  <option key={a.appId} value={a.appId}>
                    {a.name}
                  </option>
                ))}
              </select>
            ) : null}
            <p className={styles.count}>Seen in {describeRange(range).toLowerCase()}</p>
          </div>

          {insights.loading ? (
            <LoadingBlock what="insights" tiles={3} panels={2} />
          ) : insights.error && !insights.data ? (
            <Card>
              <ErrorState title="Couldn't load insights" message={insights.error.message} onRetry={insights.reload} headingLevel={2} />
            </Card>
          ) : (
            <>
              <StatGrid label="Insight figures">
                <StatTile icon={<Lightbulb size={15} />} label={state === 'all' ? 'Insights' : `${STATES.find((s) => s.value === state)?.label} insights`} value={formatCount(insights.data?.total ?? 0)} detail={`${formatCount(high)} high severity`} />
                <StatTile icon={<PiggyBank size={15} />} label="Estimated saving" value={`${formatMoney(insights.data?.totalMonthlySaving ?? '0.00')}/mo`} detail="If every one listed is acted on" />
                <StatTile icon={<ShieldAlert size={15} />} label="Security" value={formatCount(security)} detail="Open firewalls, missing two-step, unused admins" />
              </StatGrid>
              {items.length === 0 ? (
                <Card>
                  <EmptyState headingLevel={2} icon={state === 'open' ? <PiggyBank size={22} /> : <TriangleAlert size={22} />} title={state === 'open' ? 'Nothing needs attention' : `No ${state === 'all' ? '' : `${state} `}insights`}>
                    {state === 'open'
                      ? 'No idle resources, unused seats or failing connections right now. Tally checks again after every sync.'
                      : 'Pick another state or a longer range to see more.'}
                  </EmptyState>
                </Card>
              ) : (
                <ul className={styles.list} aria-label="Insights">
                  {items.slice(0, limit).map((insight) => (
                    <li key={insight.insightId}>
                      <InsightCard insight={insight} admin={admin} onAction={(action) => setActing({ insight, action })} />
                    </li>
                  ))}
                </ul>
              )}
              {items.length > limit ? (
                <div className={styles.more}>
                  <Button onClick={() => setLimit((l) => l + PAGE)}>Show {Math.min(PAGE, items.length - limit)} more</Button>
                </div>
              ) : null}
            </>
          )}
        </>
      )}
      <InsightActionDialog
        orgId={orgId}
        insight={acting?.insight ?? null}
        action={acting?.action ?? null}
        onClose={() => setActing(null)}
        onDone={(updated, action) => {
          toast.success(`“${updated.title}” is ${ACTION_VIEW[action].done}.`);
          insights.reload();
        }}
      />
    </Page>
  );
}
