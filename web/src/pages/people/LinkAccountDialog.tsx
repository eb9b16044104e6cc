import { type FormEvent, useEffect, useId, useState } from 'react';
import { type AppMember, type AppSummary, analyticsApi } from '../../api/analytics.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { SelectField, TextField } from '../../ui/Field.tsx';
import { memberName } from '../apps/appData.ts';
import styles from './People.module.css';

export interface LinkAccountDialogProps {
  orgId: string;
  open: boolean;
  personId: string;
  personName: string;
  apps: AppSummary[];
  onClose: () => void;
  onLinked: (accountName: string) => void;
}

/** Correct a link by hand: find an app account (anyone's) and make it this person's. */
export function LinkAccountDialog({ orgId, open, personId, personName, apps, onClose, onLinked }: LinkAccountDialogProps) {
  const peopleApps = apps.filter((a) => a.peopleBased);
  const [appId, setAppId] = useState(peopleApps[0]?.appId ?? '');
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<AppMember[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listLabel = useId();

  useEffect(() => {
    if (!open || !appId) return;
    let current = true;
    // A short pause so each keystroke doesn't send a request.
    const timer = window.setTimeout(() => {
      analyticsApi.appMembers(orgId, appId, { q: query.trim() || undefined, limit: 20 }).then(
        (page) => current && setFound(page.items),
        (e: unknown) => current && setError((e as Error).message),
      );
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [open, orgId, appId, query]);

  const close = () => {
    setChosen(null);
    setError(null);
    setQuery('');
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const member = found?.find((m) => m.accountId === chosen);
    if (!member) {
      setError('Pick the account to link.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await analyticsApi.changeLink(orgId, personId, 'link', { appId, accountId: member.accountId });
      onLinked(memberName(member));
      close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={busy}
      title={`Link an account to ${personName}`}
      description="Pick the account that is this person's. It moves here from whoever it was linked to, and syncs keep it here."
      footer={
        <>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="link-account-form" loading={busy}>
            Link account
          </Button>
        </>
      }
    >
      <form id="link-account-form" onSubmit={(e) => void submit(e)} className={styles.dialogForm}>
        {peopleApps.length > 1 ? (
          <SelectField label="App" value={appId} onChange={(e) => { setAppId(e.target.value); setChosen(null); }}>
            {peopleApps.map((a) => (
              <option key={a.appId} value={a.appId}>
                {a.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField label="Find the account" type="search" placeholder="Name, nickname or email" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
        <p id={listLabel} className="visually-hidden">
          Accounts
        </p>
        {found === null ? (
          <p className={styles.muted}>Looking…</p>
        ) : found.length === 0 ? (
          <p className={styles.muted}>No account matches. Try part of the name or the email.</p>
        ) : (
          <div className={styles.dialogList} role="radiogroup" aria-labelledby={listLabel}>
            {found.map((m) => (
                <label key={m.accountId} className={styles.dialogOption}>
                  <input type="radio" name="account" value={m.accountId} checked={chosen === m.accountId} onChange={() => setChosen(m.accountId)} />
                  <span className={styles.person}>
                    <span className={styles.personName}>{memberName(m)}</span>
                    <span className={styles.muted}>
                      {[m.email, m.personName ? (m.personId === personId ? 'already linked here' : `now linked to ${m.personName}`) : null].filter(Boolean).join(' · ') || m.accountId}
                    </span>
                  </span>
                </label>
            ))}
          </div>
        )}
        {error ? (
          <Alert tone="danger" live>
            {error}
          </Alert>
        ) : null}
      </form>
    </Dialog>
  );
}
