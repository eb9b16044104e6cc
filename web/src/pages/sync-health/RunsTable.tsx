import type { SyncRun } from '../../api/sync.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { formatCount, formatDuration } from '../../ui/numbers.ts';
import styles from './SyncHealth.module.css';
import { RUN_STATUS_VIEW, recordsTouched, triggerLabel } from './syncStatus.ts';

const COLUMNS: Column<SyncRun>[] = [
  {
    key: 'started',
    header: 'Started',
    value: (r) => r.startedAt,
    descendingFirst: true,
    searchable: false,
    render: (r) => (
      <time dateTime={r.startedAt} title={formatDateTime(r.startedAt)} className={styles.nowrap}>
        {formatRelative(r.startedAt)}
      </time>
    ),
  },
  { key: 'trigger', header: 'Trigger', value: (r) => triggerLabel(r.trigger) + (r.fullRefresh ? ' · full' : ''), hideOnMobile: true },
  {
    key: 'status',
    header: 'Status',
    value: (r) => RUN_STATUS_VIEW[r.status].label,
    render: (r) => (
      <span title={r.error ? `${r.error.code}: ${r.error.message}` : undefined}>
        <Badge tone={RUN_STATUS_VIEW[r.status].tone}>{RUN_STATUS_VIEW[r.status].label}</Badge>
      </span>
    ),
  },
  { key: 'duration', header: 'Duration', numeric: true, descendingFirst: true, value: (r) => r.durationMs, render: (r) => (r.durationMs === null ? '—' : formatDuration(r.durationMs)) },
  { key: 'requests', header: 'Requests', numeric: true, descendingFirst: true, value: (r) => r.requests, render: (r) => formatCount(r.requests) },
  { key: 'records', header: 'Records', numeric: true, descendingFirst: true, value: (r) => recordsTouched(r), render: (r) => formatCount(recordsTouched(r)) },
  { key: 'retries', header: 'Retries', numeric: true, descendingFirst: true, value: (r) => r.retries, render: (r) => formatCount(r.retries), hideOnMobile: true },
  {
    key: 'waits',
    header: 'Rate-limit waits',
    numeric: true,
    descendingFirst: true,
    hideOnMobile: true,
    value: (r) => r.rateLimitWaits,
    render: (r) => (r.rateLimitWaits === 0 ? '0' : `${formatCount(r.rateLimitWaits)} (${formatDuration(r.rateLimitWaitMs)})`),
  },
];

/** Drawn only when some run quarantined records, so a clean list stays narrow enough for a laptop. */
const QUARANTINE_COLUMN: Column<SyncRun> = { key: 'quarantined', header: 'Quarantined', numeric: true, descendingFirst: true, hideOnMobile: true, value: (r) => r.quarantined, render: (r) => formatCount(r.quarantined) };

/** The error is in the status badge's tooltip and the card's alert; the table keeps it for search and CSV. */
const ERROR_COLUMN: Column<SyncRun> = { key: 'error', header: 'Error', value: (r) => (r.error ? `${r.error.code}: ${r.error.message}` : ''), hidden: true };

/** A connection's recent runs, newest first, with every counter the engine records. */
export function RunsTable({ runs, label }: { runs: SyncRun[]; label: string }) {
  return (
    <DataTable
      rows={runs}
      columns={[...COLUMNS, ...(runs.some((r) => r.quarantined > 0) ? [QUARANTINE_COLUMN] : []), ERROR_COLUMN]}
      rowKey={(r) => r.id}
      label={label}
      csv
      pageSize={10}
      initialSort={{ key: 'started', direction: 'descending' }}
      empty={<p className={styles.none}>No runs yet. The first one starts a moment after the app is connected.</p>}
    />
  );
}
