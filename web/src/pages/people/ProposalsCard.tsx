import { useState } from 'react';
import { Check, GitMerge, X } from 'lucide-react';
import { Link, useSearch } from 'wouter';
import { type LinkProposal, analyticsApi } from '../../api/analytics.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { carryRange } from '../../ui/dateRange.ts';
import { useToast } from '../../ui/Toast.tsx';
import styles from './People.module.css';
import { confidenceView } from './peopleData.ts';

export interface ProposalsCardProps {
  orgId: string;
  proposals: LinkProposal[];
  /** Admins confirm or reject; members only see what is proposed. */
  admin: boolean;
  /** On a person's page the person is known, so each row names only the account. */
  showPerson?: boolean;
  total?: number;
  onChanged: () => void;
}

/** Shown before "Show all", so a long review list doesn't push the directory off the screen. */
const FIRST = 5;

const key = (p: LinkProposal) => `${p.person.personId}:${p.app.appId}:${p.accountId}`;

/** Accounts Tally thinks belong to a person (same name, nickname like the email) waiting for an admin's word. */
export function ProposalsCard({ orgId, proposals, admin, showPerson = true, total, onChanged }: ProposalsCardProps) {
  const toast = useToast();
  const range = carryRange(useSearch());
  const [busy, setBusy] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  if (proposals.length === 0) return null;
  const shown = all ? proposals : proposals.slice(0, FIRST);

  const decide = async (proposal: LinkProposal, action: 'confirm' | 'reject') => {
    setBusy(`${key(proposal)}:${action}`);
    const account = proposal.accountName ?? proposal.accountNickname ?? proposal.accountEmail ?? proposal.accountId;
    try {
      await analyticsApi.changeLink(orgId, proposal.person.personId, action, { appId: proposal.app.appId, accountId: proposal.accountId });
      toast.success(action === 'confirm' ? `${account} is now linked to ${proposal.person.displayName}.` : `${account} stays apart from ${proposal.person.displayName}; it won't be suggested again.`);
      onChanged();
    } catch (error) {
      toast.error(`Couldn't ${action} the link: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const count = total ?? proposals.length;
  return (
    <Card
      title={
        <>
          <GitMerge size={18} aria-hidden="true" /> Suggested links to review
        </>
      }
      description={`${count} ${count === 1 ? 'account looks' : 'accounts look'} like ${showPerson ? 'someone already known' : 'this person'}. ${admin ? 'Confirm the right ones; rejected ones are not suggested again.' : 'An admin can confirm or reject them.'}`}
      flush
    >
      <ul className={styles.proposals}>
        {shown.map((p) => {
          const confidence = confidenceView(p.confidence);
          const account = p.accountName ?? p.accountNickname ?? p.accountEmail ?? p.accountId;
          return (
            <li key={key(p)} className={styles.proposal}>
              <div className={styles.proposalText}>
                <p className={styles.proposalTitle}>
                  <strong>{account}</strong>
                  <span className={styles.muted}> in {p.app.name}</span>
                  {showPerson ? (
                    <>
                      {' '}
                      → <Link href={`${organizationPath(orgId, `people/${encodeURIComponent(p.person.personId)}`)}${range}`}>{p.person.displayName}</Link>
                    </>
                  ) : null}
                </p>
                <p className={styles.muted}>
                  <Badge tone={confidence.tone}>{confidence.label}</Badge> {p.reason}
                  {p.accountEmail && p.accountEmail !== account ? ` · ${p.accountEmail}` : ''}
                </p>
              </div>
              {admin ? (
                <div className={styles.proposalActions}>
                  <Button size="sm" icon={<Check size={15} aria-hidden="true" />} loading={busy === `${key(p)}:confirm`} disabled={busy !== null} onClick={() => void decide(p, 'confirm')}>
                    Confirm<span className="visually-hidden"> {account} is {p.person.displayName}</span>
                  </Button>
                  <Button size="sm" variant="ghost" icon={<X size={15} aria-hidden="true" />} loading={busy === `${key(p)}:reject`} disabled={busy !== null} onClick={() => void decide(p, 'reject')}>
                    Reject<span className="visually-hidden"> {account} as {p.person.displayName}</span>
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {proposals.length > FIRST ? (
        <div className={styles.showAll}>
          <Button size="sm" variant="ghost" onClick={() => setAll((a) => !a)} aria-expanded={all}>
            {all ? 'Show fewer' : `Show all ${proposals.length}${count > proposals.length ? ` of ${count}` : ''}`}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
