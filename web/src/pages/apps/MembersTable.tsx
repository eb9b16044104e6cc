import { useMemo, useState } from 'react';
import { UsersRound } from 'lucide-react';
import { Link, useSearch } from 'wouter';
import type { AppMember, FeatureAdoption, UsageLevel } from '../../api/analytics.ts';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { Badge } from '../../ui/Badge.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { carryRange } from '../../ui/dateRange.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { formatCount } from '../../ui/numbers.ts';
import styles from './Apps.module.css';
import { featureColumns, memberName } from './appData.ts';
import { LEVEL_VIEW, USAGE_LEVELS } from './levels.ts';

export interface MembersTableProps {
  orgId: string;
  appName: string;
  members: AppMember[];
  features: FeatureAdoption[];
  /** "in the last 30 days" or "Jun 1 – Jun 30": what the counts cover. */
  period: string;
}

/** Every account of the app with its level, last activity and what it used, sortable, searchable and exportable. */
export function MembersTable({ orgId, appName, members, features, period }: MembersTableProps) {
  const [level, setLevel] = useState<UsageLevel | 'all'>('all');
  const range = carryRange(useSearch());
  const rows = useMemo(() => (level === 'all' ? members : members.filter((m) => m.level === level)), [members, level]);

  const columns = useMemo((): Column<AppMember>[] => {
    const perFeature = featureColumns(features, members).map(
      (f): Column<AppMember> => ({
        key: `feature:${f.feature}`,
        header: f.label,
        numeric: true,
        descendingFirst: true,
        hideOnMobile: true,
        searchable: false,
        value: (m) => m.featureCounts[f.feature] ?? 0,
        render: (m) => formatCount(m.featureCounts[f.feature] ?? 0),
      }),
    );
    return [
      {
        key: 'name',
        header: 'Member',
        value: (m) => memberName(m),
        render: (m) => (
          <div className={styles.person}>
            <span className={styles.personName}>
              {m.personId ? <Link href={`${organizationPath(orgId, `people/${encodeURIComponent(m.personId)}`)}${range}`}>{memberName(m)}</Link> : memberName(m)}
            </span>
            <span className={styles.personSub}>{[m.nickname && m.nickname !== memberName(m) ? `@${m.nickname}` : null, m.email].filter(Boolean).join(' · ') || ' '}</span>
          </div>
        ),
      },
      { key: 'email', header: 'Email', value: (m) => m.email, hidden: true },
      {
        key: 'role',
        header: 'Role',
        hideOnMobile: true,
        value: (m) => (m.departed ? 'departed' : m.seat ? m.role : 'not a member'),
        render: (m) => (m.departed ? <Badge>Departed</Badge> : m.seat ? (m.role ?? '—') : <Badge tone="info">Not a member</Badge>),
      },
      { key: 'level', header: 'Level', value: (m) => LEVEL_VIEW[m.level].label, render: (m) => <Badge tone={LEVEL_VIEW[m.level].tone}>{LEVEL_VIEW[m.level].label}</Badge> },
      {
        key: 'last',
        header: 'Last activity',
        descendingFirst: true,
        searchable: false,
        value: (m) => m.lastActivityDay,
        render: (m) =>
          m.lastActivityDay ? (
            <time dateTime={m.lastActivityDay} title={formatDate(m.lastActivityDay)} className={styles.personName}>
              {formatRelative(`${m.lastActivityDay}T12:00:00Z`)}
            </time>
          ) : (
            'Never'
          ),
      },
      {
        key: 'accessed',
        header: 'Last web login',
        descendingFirst: true,
        hideOnMobile: true,
        searchable: false,
        value: (m) => m.lastAccessedAt,
        render: (m) => (m.lastAccessedAt ? <time dateTime={m.lastAccessedAt} title={formatDateTime(m.lastAccessedAt)}>{formatRelative(m.lastAccessedAt)}</time> : '—'),
      },
      { key: 'days', header: 'Active days', numeric: true, descendingFirst: true, searchable: false, value: (m) => m.activeDays, render: (m) => formatCount(m.activeDays) },
      ...perFeature,
    ];
  }, [features, members, orgId, range]);

  return (
    <DataTable
      rows={rows}
      columns={columns}
      rowKey={(m) => m.accountId}
      label={`${appName} members`}
      searchLabel="Search members"
      csv
      initialSort={{ key: 'last', direction: 'descending' }}
      toolbar={
        <select className={styles.filter} value={level} onChange={(e) => setLevel(e.target.value as UsageLevel | 'all')} aria-label="Filter by level">
          <option value="all">All levels ({formatCount(members.length)})</option>
          {USAGE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {LEVEL_VIEW[l].label} ({formatCount(members.filter((m) => m.level === l).length)})
            </option>
          ))}
        </select>
      }
      empty={
        members.length === 0 ? (
          <EmptyState compact icon={<UsersRound size={22} />} title="No members yet">
            Members appear after the first sync reads the workspace. Counts cover {period}.
          </EmptyState>
        ) : undefined
      }
    />
  );
}
