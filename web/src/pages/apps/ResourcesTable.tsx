import { useMemo, useState } from 'react';
import { Server } from 'lucide-react';
import type { Resource } from '../../api/analytics.ts';
import { Badge } from '../../ui/Badge.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { decimalToNumber, formatMoney, formatPercent } from '../../ui/numbers.ts';
import styles from './Apps.module.css';
import { ResourceSparkline } from './ResourceSparkline.tsx';

const FLAG_VIEW: Record<Resource['flags'][number], { label: string; tone: 'warning' | 'danger' | 'neutral' }> = {
  idle: { label: 'Idle', tone: 'warning' },
  no_firewall: { label: 'No firewall', tone: 'danger' },
  unattached: { label: 'Unattached', tone: 'warning' },
  old_snapshot: { label: 'Old snapshot', tone: 'neutral' },
};

/** `load_balancer` -> "Load balancer". */
export function typeLabel(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1).replace(/_/g, ' ');
}

const percent = (v: number | null) => (v === null ? '—' : formatPercent(v, 1));

/** Every DigitalOcean resource with its cost, usage and what looks wrong; costliest first. */
export function ResourcesTable({ orgId, resources, appName }: { orgId: string; resources: Resource[]; appName: string }) {
  const [type, setType] = useState('all');
  const types = useMemo(() => [...new Set(resources.map((r) => r.type))].sort(), [resources]);
  const rows = useMemo(() => (type === 'all' ? resources : resources.filter((r) => r.type === type)), [resources, type]);

  const columns = useMemo(
    (): Column<Resource>[] => [
      {
        key: 'name',
        header: 'Resource',
        value: (r) => r.name,
        render: (r) => (
          <div className={styles.person}>
            <span className={styles.personName}>{r.name}</span>
            <span className={styles.personSub}>{[typeLabel(r.type), r.size].filter(Boolean).join(' · ')}</span>
          </div>
        ),
      },
      { key: 'type', header: 'Type', value: (r) => typeLabel(r.type), hidden: true },
      { key: 'size', header: 'Size', value: (r) => r.size, hidden: true },
      { key: 'project', header: 'Project', value: (r) => r.project, hideOnMobile: true },
      { key: 'region', header: 'Region', value: (r) => r.region, hideOnMobile: true },
      {
        key: 'cost',
        header: 'Monthly cost',
        numeric: true,
        descendingFirst: true,
        value: (r) => (r.monthlyCost === null ? null : decimalToNumber(r.monthlyCost)),
        csvValue: (r) => r.monthlyCost,
        render: (r) =>
          r.monthlyCost === null ? (
            '—'
          ) : (
            <span title={r.costSource === 'list_price' ? 'List price: not on an invoice yet' : 'From the latest full month’s invoice'}>
              {formatMoney(r.monthlyCost)}
              {r.costSource === 'list_price' ? '*' : ''}
            </span>
          ),
      },
      { key: 'cpuAvg', header: 'CPU avg', numeric: true, descendingFirst: true, hideOnMobile: true, searchable: false, value: (r) => r.usage.cpuAvg, render: (r) => percent(r.usage.cpuAvg) },
      { key: 'cpuP95', header: 'CPU p95', numeric: true, descendingFirst: true, searchable: false, value: (r) => r.usage.cpuP95, render: (r) => percent(r.usage.cpuP95) },
      {
        key: 'trend',
        header: 'CPU, 14 days',
        sortable: false,
        csv: false,
        searchable: false,
        hideOnMobile: true,
        value: () => null,
        render: (r) => (r.type === 'droplet' && r.usage.sampledDays > 0 ? <ResourceSparkline orgId={orgId} resourceId={r.resourceId} name={r.name} /> : <span className={styles.muted}>—</span>),
      },
      {
        key: 'flags',
        header: 'Flags',
        sortable: false,
        value: (r) => r.flags.map((f) => FLAG_VIEW[f].label).join('; '),
        render: (r) => (
          <span className={styles.flags}>
            {r.flags.map((f) => (
              <Badge key={f} tone={FLAG_VIEW[f].tone}>
                {FLAG_VIEW[f].label}
              </Badge>
            ))}
          </span>
        ),
      },
    ],
    [orgId],
  );

  return (
    <DataTable
      rows={rows}
      columns={columns}
      rowKey={(r) => r.resourceId}
      label={`${appName} resources`}
      searchLabel="Search resources"
      csv
      pageSize={25}
      initialSort={{ key: 'cost', direction: 'descending' }}
      toolbar={
        <select className={styles.filter} value={type} onChange={(e) => setType(e.target.value)} aria-label="Filter by type">
          <option value="all">All types ({resources.length})</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {typeLabel(t)} ({resources.filter((r) => r.type === t).length})
            </option>
          ))}
        </select>
      }
      empty={
        resources.length === 0 ? (
          <EmptyState compact icon={<Server size={22} />} title="No resources">
            The team has no droplets, volumes, databases or other resources running, or the first sync has not read them yet.
          </EmptyState>
        ) : undefined
      }
    />
  );
}
