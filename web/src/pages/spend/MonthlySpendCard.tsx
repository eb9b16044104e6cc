import { BarChart3 } from 'lucide-react';
import type { AppSummary, SpendSummary } from '../../api/analytics.ts';
import { StackedBarChart } from '../../charts/StackedBarChart.tsx';
import type { Resource } from '../../lib/useResource.ts';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirstInline } from '../../ui/ConnectFirst.tsx';
import { type DateRange, describeRange } from '../../ui/dateRange.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { formatMoney, sumDecimals } from '../../ui/numbers.ts';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { monthlyByApp, noSpend } from './spendData.ts';

const money = (n: number) => formatMoney(n, 'USD', 'cents');
const axisMoney = (n: number) => formatMoney(n, 'USD', 'compact');

/** Spend per month in the range, stacked by app: the trend of what the organization pays. */
export function MonthlySpendCard({ orgId, spend, range, apps }: { orgId: string; spend: Resource<SpendSummary>; range: DateRange; apps: AppSummary[] }) {
  const hasCloud = apps.some((a) => a.provider === 'digitalocean');
  return (
    <Card title="Monthly spend" description={`${describeRange(range)}, by app`}>
      {spend.loading ? (
        <div aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading spend…
          </span>
          <Skeleton height={240} radius={8} />
        </div>
      ) : spend.error && !spend.data ? (
        <ErrorState compact title="Couldn't load spend" message={spend.error.message} onRetry={spend.reload} />
      ) : !spend.data || noSpend(spend.data) ? (
        hasCloud ? (
          <EmptyState compact icon={<BarChart3 size={22} />} title="No spend in this range">
            No invoice or running charges fall in {describeRange(range).toLowerCase()}. Pick a longer range, or wait for the first invoice to sync.
          </EmptyState>
        ) : (
          <ConnectFirstInline orgId={orgId} title="Connect DigitalOcean to see spend">
            Tally reads DigitalOcean's invoices and running charges. For Bitbucket, set a price per seat in its settings.
          </ConnectFirstInline>
        )
      ) : (
        <MonthlySpendChart summary={spend.data} range={range} />
      )}
    </Card>
  );
}

function MonthlySpendChart({ summary, range }: { summary: SpendSummary; range: DateRange }) {
  const { data, series } = monthlyByApp(summary);
  const total = sumDecimals(summary.byMonth.map((m) => m.amount));
  const first = summary.byMonth[0];
  const last = summary.byMonth[summary.byMonth.length - 1];
  const gist =
    first && last
      ? `Spend per month, ${describeRange(range).toLowerCase()}: ${formatMoney(total)} in all, ${formatMoney(first.amount)} in ${first.month} and ${formatMoney(last.amount)} in ${last.month}.`
      : 'No months in this range.';
  return <StackedBarChart title="Monthly spend by app" summary={gist} data={data} series={series} formatValue={money} formatAxis={axisMoney} />;
}
