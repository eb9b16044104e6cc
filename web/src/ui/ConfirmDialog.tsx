import { type ReactNode, useState } from 'react';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  /** The action; if it throws, the dialog stays open and shows the API's message. */
  onConfirm: () => Promise<void>;
}

/** "Are you sure?" for actions that take something away (remove, revoke, leave). */
export function ConfirmDialog({ open, onClose, title, children, confirmLabel, tone = 'danger', onConfirm }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      size="sm"
      busy={busy}
      footer={
        <>
          <Button onClick={close} disabled={busy} autoFocus>
            Cancel
          </Button>
          <Button variant={tone} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div>{children}</div>
      {error ? (
        <Alert tone="danger" live>
          {error}
        </Alert>
      ) : null}
    </Dialog>
  );
}
