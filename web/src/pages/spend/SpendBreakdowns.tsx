import { FolderKanban, Package } from 'lucide-react';
import type { SpendSummary } from '../../api/analytics.ts';
import { BarList } from '../../charts/BarList.tsx';
import { Card } from '../../ui/Card.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { decimalToNumber, formatMoney, formatPercent } from '../../ui/numbers.ts';
import { Change } from '../../ui/StatTile.tsx';
import { AppName } from '../apps/AppName.tsx';
import styles from './Spend.module.css';
import { ranked } from './spendData.ts';

type AppSpend = SpendSummary['byApp'][number];

/** Spend per app (this month, forecast, last month), and the range's spend by product and by project. */
export function SpendBreakdowns({ orgId, summary }: { orgId: string; summary: SpendSummary }) {
  const columns: Column<AppSpend>[] = [
    { key: 'app', header: 'App', value: (a) => a.app.name, render: (a) => <AppName orgId={orgId} app={a.app} /> },
    { key: 'mtd', header: 'Month to date', numeric: true, descendingFirst: true, value: (a) => decimalToNumber(a.monthToDate), csvValue: (a) => a.monthToDate, render: (a) => formatMoney(a.monthToDate) },
    { key: 'forecast', header: 'Forecast', numeric: true, descendingFirst: true, value: (a) => decimalToNumber(a.forecastMonthEnd), csvValue: (a) => a.forecastMonthEnd, render: (a) => formatMoney(a.forecastMonthEnd) },
    { key: 'last', header: 'Last month', numeric: true, descendingFirst: true, hideOnMobile: true, value: (a) => decimalToNumber(a.lastMonth), csvValue: (a) => a.lastMonth, render: (a) => formatMoney(a.lastMonth) },
    { key: 'change', header: 'Change', numeric: true, descendingFirst: true, hideOnMobile: true, value: (a) => a.change.ratio, csvValue: (a) => a.change.amount, render: (a) => <Change ratio={a.change.ratio} good="down" against="" compact /> },
    { key: 'perUser', header: 'Per person', numeric: true, descendingFirst: true, hideOnMobile: true, value: (a) => (a.costPerActiveUser ? decimalToNumber(a.costPerActiveUser) : null), csvValue: (a) => a.costPerActiveUser, render: (a) => (a.costPerActiveUser ? formatMoney(a.costPerActiveUser) : '—') },
  ];
  const products = ranked(summary.byProduct);
  const projects = ranked(summary.byProject);
  return (
    <>
      <Card title="By app" description="This month so far, where it is heading, and last month" flush>
        <DataTable rows={summary.byApp} columns={columns} rowKey={(a) => a.app.appId} label="Spend by app" csv initialSort={{ key: 'forecast', direction: 'descending' }} />
      </Card>
      <div className={styles.split}>
        <Card title="By product" description="In the chosen range">
          {products.length === 0 ? (
            <EmptyState compact icon={<Package size={22} />} title="No products billed in this range" />
          ) : (
            <BarList
              label="Spend by product"
              items={products.slice(0, 12).map((p) => ({ key: p.product, label: p.product, amount: decimalToNumber(p.amount), value: formatMoney(p.amount), detail: `${formatPercent(p.share)} of the total` }))}
            />
          )}
        </Card>
        <Card title="By project" description="DigitalOcean projects in the chosen range">
          {projects.length === 0 ? (
            <EmptyState compact icon={<FolderKanban size={22} />} title="No project spend in this range" />
          ) : (
            <BarList
              label="Spend by project"
              items={projects.slice(0, 12).map((p, i) => ({ key: p.project || `none-${i}`, label: p.project || 'No project', amount: decimalToNumber(p.amount), value: formatMoney(p.amount), detail: `${formatPercent(p.share)} of the total` }))}
            />
          )}
        </Card>
      </div>
    </>
  );
}
