import { Receipt } from 'lucide-react';
import type { AppDetail, AppSummary } from '../../api/analytics.ts';
import { longDateLabel } from '../../charts/chartFormat.ts';
import { StackedBarChart } from '../../charts/StackedBarChart.tsx';
import { organizationPath } from '../../shell/navigation.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ButtonLink } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { decimalToNumber, formatMoney, sumDecimals } from '../../ui/numbers.ts';
import { invoiceBuckets } from './appData.ts';
import styles from './Apps.module.css';

type InvoiceMonth = AppDetail['invoices'][number];

const SOURCE_LABEL: Record<InvoiceMonth['source'], { label: string; tone: 'neutral' | 'info' | 'brand' }> = {
  invoice: { label: 'Invoice', tone: 'neutral' },
  preview: { label: 'Running month', tone: 'info' },
  seats: { label: 'Seats × price', tone: 'brand' },
};

const COLUMNS: Column<InvoiceMonth>[] = [
  { key: 'month', header: 'Month', value: (m) => m.month, descendingFirst: true, render: (m) => longDateLabel(m.month) },
  { key: 'source', header: 'Source', value: (m) => SOURCE_LABEL[m.source].label, render: (m) => <Badge tone={SOURCE_LABEL[m.source].tone}>{SOURCE_LABEL[m.source].label}</Badge> },
  {
    key: 'top',
    header: 'Largest product',
    hideOnMobile: true,
    sortable: false,
    value: (m) => [...m.byProduct].sort((a, b) => decimalToNumber(b.amount) - decimalToNumber(a.amount))[0]?.product ?? null,
  },
  { key: 'total', header: 'Total', numeric: true, descendingFirst: true, value: (m) => decimalToNumber(m.total), csvValue: (m) => m.total, render: (m) => formatMoney(m.total) },
];

/** Spend by month stacked by product: DigitalOcean's invoices, or a people-based app's seats × price. */
export function InvoicesCard({ orgId, app, invoices }: { orgId: string; app: AppSummary; invoices: AppDetail['invoices'] }) {
  const { data, series } = invoiceBuckets(invoices);
  const total = sumDecimals(invoices.map((m) => m.total));
  const title = app.peopleBased ? 'Spend by month' : 'Invoices by month';
  return (
    <Card title={title} description={app.peopleBased ? 'Seats × price per seat' : 'Stacked by product; the running month is a preview until its invoice'} flush>
      {invoices.length === 0 ? (
        <EmptyState
          compact
          icon={<Receipt size={22} />}
          title={app.peopleBased ? 'No spend to show' : 'No invoices yet'}
          action={
            app.peopleBased ? (
              <ButtonLink href={organizationPath(orgId, 'settings/plans')} size="sm">
                Set a price per seat
              </ButtonLink>
            ) : undefined
          }
        >
          {app.peopleBased
            ? `${app.name} has no billing API, so Tally counts seats × the price per seat. Set one in Settings → Plans & seat prices.`
            : 'Invoices appear after the billing sync reads them; the running month shows as a preview.'}
        </EmptyState>
      ) : (
        <>
          <div className={styles.chartPad}>
            <StackedBarChart
              title={title}
              summary={`${invoices.length} months, ${formatMoney(total)} in all, by ${series.map((s) => s.label).join(', ')}.`}
              data={data}
              series={series}
              formatValue={(n) => formatMoney(n)}
              formatAxis={(n) => formatMoney(n, 'USD', 'compact')}
            />
          </div>
          <DataTable rows={invoices} columns={COLUMNS} rowKey={(m) => m.month} label={`${app.name} spend by month`} csv pageSize={6} initialSort={{ key: 'month', direction: 'descending' }} />
        </>
      )}
    </Card>
  );
}
