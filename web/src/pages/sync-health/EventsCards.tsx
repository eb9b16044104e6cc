import { ShieldCheck, Inbox } from 'lucide-react';
import type { ProviderHealthEvent, QuarantinedRecord } from '../../api/sync.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PROVIDER_NAMES } from '../connections/ProviderLogo.tsx';
import styles from './SyncHealth.module.css';
import { eventLabel } from './syncStatus.ts';

function when(iso: string) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={styles.nowrap}>
      {formatRelative(iso)}
    </time>
  );
}

/** Connection id -> the app's name, from the sync health answer. */
export type AppNames = ReadonlyMap<string, string>;

function appName(names: AppNames, provider: string, connectionId: string | null): string {
  return (connectionId ? names.get(connectionId) : undefined) ?? PROVIDER_NAMES[provider as keyof typeof PROVIDER_NAMES] ?? provider;
}

const EVENT_TONES: Record<string, 'danger' | 'warning' | 'info'> = { html_challenge: 'danger', server_error: 'danger', rate_limited: 'warning', budget_exhausted: 'warning' };

/** What the providers answered that was not an API answer: challenge pages, 429 storms, 5xx runs. */
export function ProviderEventsCard({ events, names }: { events: ProviderHealthEvent[]; names: AppNames }) {
  const columns: Column<ProviderHealthEvent>[] = [
    { key: 'when', header: 'When', value: (e) => e.createdAt, searchable: false, descendingFirst: true, render: (e) => when(e.createdAt) },
    { key: 'app', header: 'App', value: (e) => appName(names, e.provider, e.connectionId) },
    { key: 'kind', header: 'Event', value: (e) => eventLabel(e.kind), render: (e) => <Badge tone={EVENT_TONES[e.kind] ?? 'info'}>{eventLabel(e.kind)}</Badge> },
    { key: 'detail', header: 'Detail', value: (e) => e.detail, sortable: false, render: (e) => <span className={styles.detail}>{e.detail}</span> },
  ];
  return (
    <Card title="Provider health" description="Answers that were not the API's: bot-protection (HTML challenge) pages, rate limiting that would not let up, server errors. The last 100." flush>
      <DataTable
        rows={events}
        columns={columns}
        rowKey={(e) => e.id}
        label="Provider health events"
        searchLabel="Search events"
        csv
        pageSize={10}
        initialSort={{ key: 'when', direction: 'descending' }}
        empty={
          <EmptyState compact icon={<ShieldCheck size={22} />} title="The providers answered normally">
            Challenge pages, rate limits that would not let up and server errors are listed here when they happen.
          </EmptyState>
        }
      />
    </Card>
  );
}

/** Records that failed validation: kept aside with the reason, while the rest of their page was saved. */
export function QuarantineCard({ records, names }: { records: QuarantinedRecord[]; names: AppNames }) {
  const columns: Column<QuarantinedRecord>[] = [
    { key: 'when', header: 'When', value: (r) => r.createdAt, searchable: false, descendingFirst: true, render: (r) => when(r.createdAt) },
    { key: 'app', header: 'App', value: (r) => appName(names, '', r.connectionId) },
    { key: 'stream', header: 'Stream', value: (r) => r.stream, render: (r) => <code className={styles.code}>{r.stream}</code> },
    { key: 'id', header: 'Record', value: (r) => r.externalId, hideOnMobile: true, render: (r) => (r.externalId ? <code className={styles.code}>{r.externalId}</code> : '—') },
    { key: 'reason', header: 'Reason', value: (r) => r.reason, sortable: false, render: (r) => <span className={styles.detail}>{r.reason}</span> },
  ];
  return (
    <Card title="Quarantined records" description="Records a provider sent that did not match what Tally expects. They are kept aside with the reason; the rest of each page was saved. The last 100." flush>
      <DataTable
        rows={records}
        columns={columns}
        rowKey={(r) => r.id}
        label="Quarantined records"
        searchLabel="Search quarantined records"
        csv
        pageSize={10}
        initialSort={{ key: 'when', direction: 'descending' }}
        empty={
          <EmptyState compact icon={<Inbox size={22} />} title="Nothing quarantined">
            Every record the providers sent matched what Tally expects.
          </EmptyState>
        }
      />
    </Card>
  );
}
