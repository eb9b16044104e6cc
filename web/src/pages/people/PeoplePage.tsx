import { useMemo, useState } from 'react';
import { UsersRound } from 'lucide-react';
import { Link, useSearch } from 'wouter';
import { type AppSummary, type PersonRow, type PersonStatus, analyticsApi, readAll } from '../../api/analytics.ts';
import { formatDate, formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { useOrganization } from '../../shell/OrganizationScope.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConnectFirst } from '../../ui/ConnectFirst.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { carryRange, describeRange } from '../../ui/dateRange.ts';
import { DateRangePicker } from '../../ui/DateRangePicker.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { LoadingBlock } from '../../ui/LoadingBlock.tsx';
import { formatCount } from '../../ui/numbers.ts';
import { Page } from '../../ui/Page.tsx';
import { useDateRange, useQueryParam } from '../../ui/useDateRange.ts';
import { LEVEL_VIEW } from '../apps/levels.ts';
import { ProviderLogo } from '../connections/ProviderLogo.tsx';
import styles from './People.module.css';
import { STATUS_VIEW, confidenceView } from './peopleData.ts';
import { ProposalsCard } from './ProposalsCard.tsx';

const STATUSES = Object.keys(STATUS_VIEW) as PersonStatus[];

/** People: everyone Tally found across the apps, their accounts, how sure each link is, and links to review. */
export function PeoplePage() {
  const { organization, role } = useOrganization();
  const orgId = organization.id;
  const admin = role === 'owner' || role === 'admin';
  const [range] = useDateRange();
  const [activeOnly, setActiveOnly] = useQueryParam('active', 'all');
  const inRange = activeOnly === 'range';
  const people = useResource(`people:${orgId}:${inRange ? `${range.from}:${range.to}` : 'all'}`, () =>
    readAll((limit, offset) => analyticsApi.people(orgId, { ...(inRange ? { from: range.from, to: range.to } : {}), limit, offset })),
  );
  const apps = useResource(`apps:${orgId}:30`, () => analyticsApi.apps(orgId));
  const proposals = useResource(`proposals:${orgId}`, () => analyticsApi.proposals(orgId, { limit: 25 }));
  const reload = () => {
    people.reload();
    proposals.reload();
  };

  const noApps = apps.data?.items.length === 0;
  return (
    <Page
      title="People"
      documentTitle={[organization.name]}
      description="Everyone Tally found across your apps. Accounts are linked to one person by verified email; the rest are suggested for an admin to confirm."
      actions={<DateRangePicker />}
    >
      {people.loading || apps.loading ? (
        <LoadingBlock what="people" tiles={0} panels={1} />
      ) : people.error && !people.data ? (
        <Card>
          <ErrorState title="Couldn't load people" message={people.error.message} onRetry={people.reload} headingLevel={2} />
        </Card>
      ) : noApps ? (
        <ConnectFirst orgId={orgId} title="Connect Bitbucket Cloud to see people" icon={<UsersRound size={22} />} actionLabel="Connect an app">
          Tally builds the directory from the members and commit authors of your apps, and links each person's accounts across them.
        </ConnectFirst>
      ) : (
        <>
          {proposals.data ? <ProposalsCard orgId={orgId} proposals={proposals.data.items} total={proposals.data.total} admin={admin} onChanged={reload} /> : null}
          <Card title="Directory" description={inRange ? `People with activity in ${describeRange(range).toLowerCase()}` : 'Everyone, sorted by name'} flush>
            <Directory
              orgId={orgId}
              people={people.data?.items ?? []}
              apps={apps.data?.items ?? []}
              inRange={inRange}
              onInRange={(value) => setActiveOnly(value ? 'range' : 'all')}
              rangeLabel={describeRange(range).toLowerCase()}
            />
          </Card>
        </>
      )}
    </Page>
  );
}

interface DirectoryProps {
  orgId: string;
  people: PersonRow[];
  apps: AppSummary[];
  inRange: boolean;
  onInRange: (value: boolean) => void;
  rangeLabel: string;
}

function Directory({ orgId, people, apps, inRange, onInRange, rangeLabel }: DirectoryProps) {
  const [status, setStatus] = useState<PersonStatus | 'all'>('all');
  const [appId, setAppId] = useState('all');
  const range = carryRange(useSearch());
  const appName = (id: string) => apps.find((a) => a.appId === id)?.name ?? 'App';
  const rows = useMemo(() => people.filter((p) => (status === 'all' || p.status === status) && (appId === 'all' || p.apps.some((a) => a.appId === appId))), [people, status, appId]);

  const columns: Column<PersonRow>[] = [
    {
      key: 'name',
      header: 'Person',
      value: (p) => p.displayName,
      render: (p) => (
        <div className={styles.person}>
          <Link href={`${organizationPath(orgId, `people/${encodeURIComponent(p.personId)}`)}${range}`} className={styles.personName}>
            {p.displayName}
          </Link>
          {p.primaryEmail ? <span className={styles.muted}>{p.primaryEmail}</span> : null}
        </div>
      ),
    },
    { key: 'email', header: 'Email', value: (p) => p.primaryEmail, hidden: true },
    { key: 'status', header: 'Status', value: (p) => STATUS_VIEW[p.status].label, render: (p) => <Badge tone={STATUS_VIEW[p.status].tone}>{STATUS_VIEW[p.status].label}</Badge> },
    {
      key: 'apps',
      header: 'Apps used',
      sortable: false,
      value: (p) => p.apps.map((a) => `${appName(a.appId)}: ${LEVEL_VIEW[a.level].label}`).join('; '),
      render: (p) => (
        <ul className={styles.appIcons}>
          {p.apps.map((a) => (
            <li key={a.appId} title={`${appName(a.appId)}: ${LEVEL_VIEW[a.level].label}`}>
              <ProviderLogo provider={a.provider} size={24} />
              <span className="visually-hidden">
                {appName(a.appId)}: {LEVEL_VIEW[a.level].label}
              </span>
            </li>
          ))}
        </ul>
      ),
    },
    {
      key: 'last',
      header: 'Last active',
      descendingFirst: true,
      searchable: false,
      value: (p) => p.lastActivityDay,
      render: (p) => (p.lastActivityDay ? <time dateTime={p.lastActivityDay} title={formatDate(p.lastActivityDay)}>{formatRelative(`${p.lastActivityDay}T12:00:00Z`)}</time> : 'Never'),
    },
    { key: 'accounts', header: 'Accounts', numeric: true, descendingFirst: true, searchable: false, hideOnMobile: true, value: (p) => p.accounts, render: (p) => formatCount(p.accounts) },
    {
      key: 'confidence',
      header: 'Link confidence',
      searchable: false,
      hideOnMobile: true,
      value: (p) => p.linkConfidence,
      render: (p) => (
        <span className={styles.confidence}>
          <Badge tone={confidenceView(p.linkConfidence).tone}>{confidenceView(p.linkConfidence).label}</Badge>
          {p.proposals > 0 ? <span className={styles.muted}>{p.proposals} to review</span> : null}
        </span>
      ),
    },
  ];

  return (
    <DataTable
      rows={rows}
      columns={columns}
      rowKey={(p) => p.personId}
      label="People"
      searchLabel="Search people"
      csv
      initialSort={{ key: 'name', direction: 'ascending' }}
      toolbar={
        <>
          <select className={styles.filter} value={status} onChange={(e) => setStatus(e.target.value as PersonStatus | 'all')} aria-label="Filter by status">
            <option value="all">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_VIEW[s].label}
              </option>
            ))}
          </select>
          {apps.length > 1 ? (
            <select className={styles.filter} value={appId} onChange={(e) => setAppId(e.target.value)} aria-label="Filter by app">
              <option value="all">Any app</option>
              {apps.map((a) => (
                <option key={a.appId} value={a.appId}>
                  {a.name}
                </option>
              ))}
            </select>
          ) : null}
          <label className={styles.check}>
            <input type="checkbox" checked={inRange} onChange={(e) => onInRange(e.target.checked)} />
            Active in {rangeLabel}
          </label>
        </>
      }
      empty={
        people.length === 0 && !inRange ? (
          <p className={styles.emptyText}>Nobody yet: people appear after the first sync reads your apps' members.</p>
        ) : undefined
      }
    />
  );
}
