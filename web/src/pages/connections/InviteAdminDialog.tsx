import { useId, useState } from 'react';
import { Send } from 'lucide-react';
import { type CreatedConnectInvitationResult, type ProviderCard, connectionsApi } from '../../api/connections.ts';
import { requireFields, useSubmit } from '../../lib/useSubmit.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { Form } from '../../ui/Form.tsx';
import { OneTimeLink } from '../../ui/Invitations.tsx';

const FIELDS = ['email', 'note'] as const;

export interface InviteAdminDialogProps {
  orgId: string;
  orgName: string;
  /** The app whose admin is invited; null keeps the dialog closed. */
  card: ProviderCard | null;
  onClose: () => void;
  onInvited: () => void;
}

/** Ask whoever administers the app to connect it: a single-use link they open without a Tally account. */
export function InviteAdminDialog({ orgId, orgName, card, onClose, onInvited }: InviteAdminDialogProps) {
  const [email, setEmail] = useState('');
  const [note, setNote] = useState('');
  const [created, setCreated] = useState<CreatedConnectInvitationResult | null>(null);
  const { errors, submitting, run, clearError, reset } = useSubmit(FIELDS);
  const formId = useId();

  const close = () => {
    setEmail('');
    setNote('');
    setCreated(null);
    reset();
    onClose();
  };

  const submit = () =>
    run(
      async () => {
        if (!card) return;
        const trimmed = note.trim();
        setCreated(await connectionsApi.invite(orgId, { provider: card.provider, email, ...(trimmed ? { note: trimmed } : {}) }));
        onInvited();
      },
      () => requireFields({ email, note }, { email: "Enter the admin's email address." }),
    );

  const name = card?.name ?? '';
  return (
    <Dialog
      open={card !== null}
      onClose={close}
      busy={submitting}
      title={created ? 'Invitation ready' : `Invite your ${name} admin`}
      description={
        created ? undefined : `They open a link, see what ${orgName} asks for, and connect ${name} for you. They don't need a Tally account.`
      }
      footer={
        created ? (
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={close} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" form={formId} variant="primary" loading={submitting} icon={<Send size={16} aria-hidden="true" />}>
              Create invitation
            </Button>
          </>
        )
      }
    >
      {created ? (
        <OneTimeLink
          title={`${created.invitation.email} is invited to connect ${name}`}
          link={created.link}
          emailed={created.emailed}
          expiresAt={created.invitation.expiresAt}
          ifLost="If it gets lost, an admin can revoke it and you can create a new one."
        />
      ) : card ? (
        <Form id={formId} onSubmit={() => void submit()} errors={errors} aria-label={`Invite your ${name} admin`}>
          <TextField
            label="Admin's email address"
            type="email"
            name="email"
            inputMode="email"
            autoComplete="off"
            placeholder="name@company.com"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              clearError('email');
            }}
            error={errors.fields.email}
            autoFocus
          />
          <TextField
            label="Note (optional)"
            name="note"
            autoComplete="off"
            placeholder={`Could you connect our ${name} account to Tally?`}
            hint="Shown to them on the invitation page."
            value={note}
            onChange={(event) => {
              setNote(event.target.value);
              clearError('note');
            }}
            error={errors.fields.note}
          />
        </Form>
      ) : null}
    </Dialog>
  );
}
