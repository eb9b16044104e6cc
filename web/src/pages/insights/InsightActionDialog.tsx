import { type FormEvent, useEffect, useState } from 'react';
import { type Insight, analyticsApi } from '../../api/analytics.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { TextAreaField } from '../../ui/TextAreaField.tsx';
import { ACTION_VIEW, type InsightAction, snoozeDays } from './insightState.ts';
import styles from './Insights.module.css';

export interface InsightActionDialogProps {
  orgId: string;
  insight: Insight | null;
  action: InsightAction | null;
  onClose: () => void;
  onDone: (updated: Insight, action: InsightAction) => void;
}

const PROMPTS: Record<InsightAction, { description: string; placeholder: string }> = {
  resolved: { description: 'Mark it done. If the condition still holds at the next recomputation, it opens again.', placeholder: 'Destroyed the droplet; the data was in the nightly backup.' },
  snoozed: { description: 'Hide it until a day you choose; then it is open again.', placeholder: 'Waiting for the quarterly review.' },
  dismissed: { description: 'Not useful: it stays hidden for as long as the condition is the same.', placeholder: 'This droplet is a standby on purpose.' },
  open: { description: 'Put it back on the open list.', placeholder: 'Worth another look.' },
};

/** Resolve, snooze, dismiss or reopen an insight, with a note kept beside it for whoever looks next. */
export function InsightActionDialog({ orgId, insight, action, onClose, onDone }: InsightActionDialogProps) {
  const days = snoozeDays();
  const [note, setNote] = useState('');
  const [until, setUntil] = useState(days.suggested);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = insight !== null && action !== null;

  useEffect(() => {
    if (!open) return;
    setNote('');
    setUntil(snoozeDays().suggested);
    setError(null);
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!insight || !action) return;
    if (action === 'snoozed' && !(until >= days.min)) {
      setError('Pick a day after today to snooze until.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await analyticsApi.setInsightState(orgId, insight.insightId, {
        state: action,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(action === 'snoozed' ? { snoozeUntil: until } : {}),
      });
      onDone(updated, action);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const view = action ? ACTION_VIEW[action] : null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      busy={busy}
      size="sm"
      title={view && insight ? `${view.verb} “${insight.title}”?` : ''}
      description={action ? PROMPTS[action].description : undefined}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="insight-action-form" loading={busy}>
            {view?.verb ?? 'Save'}
          </Button>
        </>
      }
    >
      <form id="insight-action-form" onSubmit={(e) => void submit(e)} className={styles.form}>
        {action === 'snoozed' ? <TextField label="Snooze until" type="date" min={days.min} value={until} onChange={(e) => setUntil(e.target.value)} required /> : null}
        <TextAreaField
          label="Note (optional)"
          hint="Kept with the insight for whoever looks at it next."
          placeholder={action ? PROMPTS[action].placeholder : undefined}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
          autoFocus
        />
        {error ? (
          <Alert tone="danger" live>
            {error}
          </Alert>
        ) : null}
      </form>
    </Dialog>
  );
}
