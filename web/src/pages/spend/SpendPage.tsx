import { BadgeDollarSign, CalendarClock, CalendarRange, Receipt, UserRound } from 'lucide-react';
import { analyticsApi } from '../../api/analytics.ts';
import { useResource } from '../../lib/useResource.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { DateRangePicker } from '../../ui/DateRangePicker.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { compareDecimals, formatMoney } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { Change, StatGrid, StatTile } from '../../ui/StatTile.tsx';
import { useDateRange } from '../../ui/useDateRange.ts';
import { MonthlySpendCard } from './MonthlySpendCard.tsx';
import { SpendBreakdowns } from './SpendBreakdowns.tsx';
import { SpendLinesCard } from './SpendLinesCard.tsx';

/** "Forecast $12.00 above it" / "below it" / "The forecast matches it". */
function forecastVsLast(amount: string): string {
  if (compareDecimals(amount, '0') === 0) return 'The forecast matches it';
  const below = amount.startsWith('-');
  return `Forecast ${formatMoney(below ? amount.slice(1) : amount)} ${below ? 'below' : 'above'} it`;
}

/** Spend: by month, app, product and project; this month so far against its forecast and last month. */
export function SpendPage() {
  const { organization } = useOrganization();
  const orgId = organization.id;
  const [range] = useDateRange();
  const apps = useResource(`apps:${orgId}:30`, () => analyticsApi.apps(orgId));
  const spend = useResource(`spend:${orgId}:${range.from}:${range.to}`, () => analyticsApi.spend(orgId, { from: range.from, to: range.to }));
  const summary = spend.data;

  return (
    <Page
      title="Spend"
      documentTitle={[organization.name]}
      description="What the organization pays each app: DigitalOcean from its invoices and running charges, seat-based apps as seats × price per seat."
      actions={<DateRangePicker />}
    >
      {spend.loading || apps.loading ? (
        <LoadingBlock what="spend" />
      ) : spend.error && !summary ? (
        <Card>
          <ErrorState title="Couldn't load spend" message={spend.error.message} onRetry={spend.reload} headingLevel={2} />
        </Card>
      ) : !summary || apps.data?.items.length === 0 ? (
        <ConnectFirst orgId={orgId} title="Connect DigitalOcean to see spend" icon={<Receipt size={22} />} actionLabel="Connect DigitalOcean">
          Tally reads DigitalOcean's invoices and the running month's charges. Bitbucket has no billing API: set a price per seat and its spend is seats × price.
        </ConnectFirst>
      ) : (
        <>
          <StatGrid label="Spend figures">
            <StatTile icon={<BadgeDollarSign size={15} />} label="Month to date" value={formatMoney(summary.monthToDate)} detail="Charges so far this month" />
            <StatTile
              icon={<CalendarClock size={15} />}
              label="Forecast for the month"
              value={formatMoney(summary.forecastMonthEnd)}
              detail={<Change ratio={summary.changeVsLastMonth.ratio} good="down" against="vs. last month" />}
            />
            <StatTile icon={<CalendarRange size={15} />} label="Last month" value={formatMoney(summary.lastMonth)} detail={forecastVsLast(summary.changeVsLastMonth.amount)} />
            <StatTile
              icon={<UserRound size={15} />}
              label="Cost per active person"
              value={summary.costPerActiveUser ? formatMoney(summary.costPerActiveUser) : '—'}
              detail={summary.costPerActiveUser ? 'Last month, seat-based apps' : 'Needs a seat price and active people'}
            />
          </StatGrid>
          <MonthlySpendCard orgId={orgId} spend={spend} range={range} apps={apps.data?.items ?? []} />
          <SpendBreakdowns orgId={orgId} summary={summary} />
          <SpendLinesCard orgId={orgId} range={range} />
        </>
      )}
    </Page>
  );
}
