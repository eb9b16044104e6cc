import { useState } from 'react';
import { FileUp, MailPlus } from 'lucide-react';
import { memberEmailsApi } from '../../api/memberEmails.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { Button } from '../../ui/Button.tsx';
import { formatCount } from '../../ui/numbers.ts';
import { MemberEmailsDialog } from './MemberEmailsDialog.tsx';
import styles from './MemberEmails.module.css';

export interface MemberEmailsSectionProps {
  orgId: string;
  connectionId: string;
  name: string;
  /** Owners and admins import; members see how many emails Tally knows. */
  admin: boolean;
  /** When the last sync finished: the counts are asked again after each one. */
  syncedAt: string | undefined;
}

/**
 * A Bitbucket card's strip about members' emails: Bitbucket's API gives none, so Tally has those commits
 * carry and those an admin imports from the workspace's member list (CSV); people are linked across apps
 * by them.
 */
export function MemberEmailsSection({ orgId, connectionId, name, admin, syncedAt }: MemberEmailsSectionProps) {
  const status = useResource(`member-emails:${connectionId}:${syncedAt ?? ''}`, () => memberEmailsApi.status(orgId, connectionId));
  const [open, setOpen] = useState(false);
  const titleId = `member-emails-${connectionId}`;
  const s = status.data;

  return (
    <section className={styles.band} aria-labelledby={titleId}>
      <MailPlus className={styles.icon} size={18} aria-hidden="true" />
      <div className={styles.text}>
        <h3 id={titleId} className={styles.title}>
          Member emails
        </h3>
        <p className={styles.line}>
          {status.error ? (
            `Unknown: ${status.error.message}`
          ) : !s ? (
            'Loading…'
          ) : s.members === 0 ? (
            'No members synced yet.'
          ) : (
            <>
              <strong>
                {formatCount(s.withEmail)} of {formatCount(s.members)}
              </strong>{' '}
              members have an email{s.imported > 0 ? `, ${formatCount(s.imported)} from an imported list` : ''}.
            </>
          )}
        </p>
        <p className={styles.note}>
          {name}'s API gives no emails: Tally takes them from commits and from the workspace member list an admin imports, and links people across apps by them.
          {s?.lastImport ? (
            <>
              {' '}
              Last import{' '}
              <time dateTime={s.lastImport.at} title={formatDateTime(s.lastImport.at)}>
                {formatRelative(s.lastImport.at)}
              </time>
              {s.lastImport.by ? ` by ${s.lastImport.by}` : ''}.
            </>
          ) : null}
        </p>
      </div>
      {admin ? (
        <Button size="sm" icon={<FileUp size={16} aria-hidden="true" />} onClick={() => setOpen(true)} className={styles.action}>
          Import member emails (CSV)
        </Button>
      ) : null}
      {admin ? (
        <MemberEmailsDialog
          open={open}
          orgId={orgId}
          connectionId={connectionId}
          name={name}
          onClose={() => setOpen(false)}
          onImported={status.reload}
        />
      ) : null}
    </section>
  );
}
