import { useState } from 'react';
import { Boxes } from 'lucide-react';
import { type AppDetail, analyticsApi, readAll } from '../../api/analytics.ts';
import { BarList } from '../../charts/BarList.tsx';
import { shortDateLabel, weekLabel } from '../../charts/chartFormat.ts';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart.tsx';
import { useResource } from '../../lib/useResource.ts';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { decimalToNumber, formatCount, formatMoney, formatPercent, sumDecimals } from '../../ui/numbers.ts';
import { SegmentedControl } from '../../ui/SegmentedControl.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { useDateRange } from '../../ui/useDateRange.ts';
import { featureWeeks } from './appData.ts';
import styles from './Apps.module.css';
import { InvoicesCard } from './InvoicesCard.tsx';
import { ResourcesTable, typeLabel } from './ResourcesTable.tsx';

const BREAKDOWNS = [
  { value: 'type', label: 'Type' },
  { value: 'project', label: 'Project' },
  { value: 'region', label: 'Region' },
] as const;
type Breakdown = (typeof BREAKDOWNS)[number]['value'];

/** A cloud app (DigitalOcean): resources by type, project and region, invoices by product, every resource. */
export function CloudAppSections({ orgId, detail }: { orgId: string; detail: AppDetail }) {
  const { app } = detail;
  const [range] = useDateRange();
  const [breakdown, setBreakdown] = useState<Breakdown>('type');
  const resources = useResource(`resources:${orgId}:${app.appId}:${range.from}:${range.to}`, () =>
    readAll((limit, offset) => analyticsApi.resources(orgId, { appId: app.appId, days: '14', from: range.from, to: range.to, limit, offset })),
  );
  const groups = breakdown === 'type' ? detail.resourcesByType : breakdown === 'project' ? detail.resourcesByProject : detail.resourcesByRegion;
  const total = decimalToNumber(sumDecimals(groups.map((g) => g.monthlyCost)));
  const weekly = featureWeeks(detail.features);

  return (
    <>
      <InvoicesCard orgId={orgId} app={app} invoices={detail.invoices} />

      <div className={styles.split}>
        <Card title={`Resources by ${breakdown}`} description="Running now, with what they cost a month">
          <div className={styles.cardControl}>
            <SegmentedControl label="Group resources by" value={breakdown} options={BREAKDOWNS} onChange={setBreakdown} />
          </div>
          {groups.length === 0 ? (
            <EmptyState compact icon={<Boxes size={22} />} title="No resources running">
              Droplets, volumes, databases and the rest appear here after a sync.
            </EmptyState>
          ) : (
            <BarList
              label={`Resources by ${breakdown}`}
              items={[...groups]
                .sort((a, b) => decimalToNumber(b.monthlyCost) - decimalToNumber(a.monthlyCost))
                .map((g) => ({
                  key: g.key,
                  label: breakdown === 'type' ? typeLabel(g.key) : g.key || 'None',
                  amount: decimalToNumber(g.monthlyCost),
                  value: `${formatMoney(g.monthlyCost)}/mo`,
                  detail: `${formatCount(g.resources)} ${g.resources === 1 ? 'resource' : 'resources'}${total > 0 ? ` · ${formatPercent(decimalToNumber(g.monthlyCost) / total)} of the cost` : ''}`,
                }))}
            />
          )}
        </Card>
        <Card title="Resources in use by week" description="How many of each kind ran, week by week">
          {weekly.data.length === 0 ? (
            <EmptyState compact icon={<Boxes size={22} />} title="No weeks in this range">
              Pick a longer range to see how the fleet changed week by week.
            </EmptyState>
          ) : (
            <TimeSeriesChart
              title="Resources in use by week"
              summary={`Weekly counts of ${detail.features.map((f) => f.label).join(', ')}.`}
              data={weekly.data}
              series={weekly.series}
              kind="line"
              formatValue={(n) => formatCount(n)}
              formatX={shortDateLabel}
              formatXLong={weekLabel}
            />
          )}
        </Card>
      </div>

      <Card title="Resources" description="Costliest first; CPU over the last 14 days of monitoring. * list price, not yet invoiced." flush>
        {resources.loading ? (
          <div className={styles.cardLoading} aria-busy="true">
            <span className="visually-hidden" role="status">
              Loading resources…
            </span>
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} height={16} />
            ))}
          </div>
        ) : resources.error ? (
          <ErrorState compact title="Couldn't load the resources" message={resources.error.message} onRetry={resources.reload} />
        ) : (
          <ResourcesTable orgId={orgId} resources={resources.data?.items ?? []} appName={app.name} />
        )}
      </Card>
    </>
  );
}
