import { useState } from 'react';
import { Unlink } from 'lucide-react';
import { type LinkedAccount, type PersonDetail, analyticsApi } from '../../api/analytics.ts';
import { formatDate, formatRelative } from '../../lib/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { type Column, DataTable } from '../../ui/DataTable.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { AppName } from '../apps/AppName.tsx';
import { LEVEL_VIEW } from '../apps/levels.ts';
import styles from './People.module.css';
import { METHOD_LABEL, confidenceView } from './peopleData.ts';

const accountName = (a: LinkedAccount) => a.name ?? a.nickname ?? a.email ?? a.accountId;

/** The person's accounts in each app, how each was linked and how sure that is; admins can unlink one. */
export function LinkedAccountsCard({ orgId, detail, admin, onChanged }: { orgId: string; detail: PersonDetail; admin: boolean; onChanged: () => void }) {
  const toast = useToast();
  const [unlinking, setUnlinking] = useState<LinkedAccount | null>(null);
  const person = detail.person.displayName;

  const columns: Column<LinkedAccount>[] = [
    { key: 'app', header: 'App', value: (a) => a.app.name, render: (a) => <AppName orgId={orgId} app={a.app} /> },
    {
      key: 'account',
      header: 'Account',
      value: (a) => accountName(a),
      render: (a) => (
        <div className={styles.person}>
          <span className={styles.personName}>{accountName(a)}</span>
          <span className={styles.muted}>{[a.nickname ? `@${a.nickname}` : null, a.email, a.departed ? 'departed' : a.seat ? a.role : 'not a member'].filter(Boolean).join(' · ')}</span>
        </div>
      ),
    },
    { key: 'method', header: 'Linked by', value: (a) => METHOD_LABEL[a.method], hidden: true },
    {
      key: 'confidence',
      header: 'Link',
      value: (a) => a.confidence,
      searchable: false,
      render: (a) => (
        <div className={styles.person}>
          <span>
            <Badge tone={confidenceView(a.confidence).tone}>{confidenceView(a.confidence).label}</Badge>
          </span>
          <span className={styles.muted}>{METHOD_LABEL[a.method]}</span>
        </div>
      ),
    },
    { key: 'level', header: 'Level', value: (a) => LEVEL_VIEW[a.level].label, hideOnMobile: true, render: (a) => <Badge tone={LEVEL_VIEW[a.level].tone}>{LEVEL_VIEW[a.level].label}</Badge> },
    {
      key: 'last',
      header: 'Last activity',
      searchable: false,
      descendingFirst: true,
      value: (a) => a.lastActivityDay,
      render: (a) => (a.lastActivityDay ? <time dateTime={a.lastActivityDay} title={formatDate(a.lastActivityDay)}>{formatRelative(`${a.lastActivityDay}T12:00:00Z`)}</time> : 'Never'),
    },
    ...(admin
      ? [
          {
            key: 'actions',
            header: 'Actions',
            sortable: false,
            csv: false,
            searchable: false,
            value: () => null,
            render: (a: LinkedAccount) =>
              detail.accounts.length > 1 ? (
                <div className={styles.accountActions}>
                  <Button size="sm" variant="ghost" icon={<Unlink size={15} aria-hidden="true" />} aria-label={`Not ${person}: unlink ${accountName(a)} in ${a.app.name}`} onClick={() => setUnlinking(a)}>
                    Not {person}
                  </Button>
                </div>
              ) : null,
          } satisfies Column<LinkedAccount>,
        ]
      : []),
  ];

  return (
    <Card title="Linked accounts" description="One person's accounts across apps. Admin decisions stay through every sync." flush>
      <DataTable rows={detail.accounts} columns={columns} rowKey={(a) => `${a.app.appId}:${a.accountId}`} label={`${person}'s accounts`} initialSort={{ key: 'app', direction: 'ascending' }} />
      <ConfirmDialog
        open={unlinking !== null}
        onClose={() => setUnlinking(null)}
        title={`Unlink ${unlinking ? accountName(unlinking) : 'this account'}?`}
        confirmLabel="Unlink account"
        onConfirm={async () => {
          if (!unlinking) return;
          await analyticsApi.changeLink(orgId, detail.person.personId, 'unlink', { appId: unlinking.app.appId, accountId: unlinking.accountId });
          toast.success(`${accountName(unlinking)} is no longer linked to ${person}; it is a person of its own now.`);
          onChanged();
        }}
      >
        The account in {unlinking?.app.name} becomes a person of its own and is never linked back automatically. Link it to the right person from their page.
      </ConfirmDialog>
    </Card>
  );
}
