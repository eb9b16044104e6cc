import { useState } from 'react';
import { analyticsApi, readAll, type SpendLinePage } from '../../api/analytics.ts';
import { longDateLabel } from '../../charts/chartFormat.ts';
import { useResource } from '../../lib/useResource.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import type { DateRange } from '../../ui/dateRange.ts';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { decimalToNumber, formatMoney } from '../../ui/numbers.ts';
import { SegmentedControl } from '../../ui/SegmentedControl.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import styles from './Spend.module.css';

type Line = SpendLinePage['items'][number];
type GroupBy = 'app' | 'product' | 'project';

const GROUPS = [
  { value: 'product', label: 'Product' },
  { value: 'project', label: 'Project' },
  { value: 'app', label: 'App' },
] as const;

const SOURCES: Record<Line['source'], { label: string; tone: 'neutral' | 'info' | 'brand' }> = {
  invoice: { label: 'Invoice', tone: 'neutral' },
  preview: { label: 'Running month', tone: 'info' },
  seats: { label: 'Seats × price', tone: 'brand' },
};

/** Every spend line of the range by month and product, project or app: the table behind the charts, as CSV too. */
export function SpendLinesCard({ orgId, range }: { orgId: string; range: DateRange }) {
  const [groupBy, setGroupBy] = useState<GroupBy>('product');
  const lines = useResource(`spend-lines:${orgId}:${groupBy}:${range.from}:${range.to}`, () =>
    readAll((limit, offset) => analyticsApi.spendLines(orgId, { groupBy, from: range.from, to: range.to, limit, offset })),
  );
  const label = GROUPS.find((g) => g.value === groupBy)?.label ?? 'Product';
  const columns: Column<Line>[] = [
    { key: 'month', header: 'Month', value: (l) => l.month, descendingFirst: true, render: (l) => longDateLabel(l.month) },
    { key: 'app', header: 'App', value: (l) => l.app.name, hideOnMobile: groupBy !== 'app' },
    ...(groupBy === 'app' ? [] : [{ key: 'key', header: label, value: (l: Line) => l.key || '—' } satisfies Column<Line>]),
    { key: 'source', header: 'Source', value: (l) => SOURCES[l.source].label, hideOnMobile: true, render: (l) => <Badge tone={SOURCES[l.source].tone}>{SOURCES[l.source].label}</Badge> },
    { key: 'amount', header: 'Amount', numeric: true, descendingFirst: true, value: (l) => decimalToNumber(l.amount), csvValue: (l) => l.amount, render: (l) => formatMoney(l.amount) },
  ];
  return (
    <Card title="Spend lines" description="Month by month, as the charts add them up" actions={<SegmentedControl label="Group lines by" value={groupBy} options={GROUPS} onChange={setGroupBy} />} flush>
      {lines.loading ? (
        <div className={styles.loading} aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading spend lines…
          </span>
          <Skeleton height={16} />
          <Skeleton height={16} />
        </div>
      ) : lines.error ? (
        <ErrorState compact title="Couldn't load the spend lines" message={lines.error.message} onRetry={lines.reload} />
      ) : (
        <DataTable
          rows={lines.data?.items ?? []}
          columns={columns}
          rowKey={(l) => `${l.month}:${l.app.appId}:${l.key}:${l.source}`}
          label={`Spend lines by ${label.toLowerCase()}`}
          searchLabel="Search spend lines"
          csv
          pageSize={25}
          initialSort={{ key: 'month', direction: 'descending' }}
          empty={<p className={styles.empty}>No spend lines in this range.</p>}
        />
      )}
    </Card>
  );
}
