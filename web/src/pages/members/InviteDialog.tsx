import { useId, useState } from 'react';
import { Send, UserPlus } from 'lucide-react';
import { type CreatedInvitationResult, accountsApi } from '../../api/accounts.ts';
import { requireFields, useSubmit } from '../../lib/useSubmit.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/Field.tsx';
import { Form } from '../../ui/Form.tsx';
import { OneTimeLink } from '../../ui/Invitations.tsx';
import { RadioCards } from '../../ui/RadioCards.tsx';
import { ROLE_DESCRIPTIONS } from './permissions.ts';

const FIELDS = ['email', 'role'] as const;
type InviteRole = 'member' | 'admin';

export interface InviteDialogProps {
  open: boolean;
  onClose: () => void;
  orgId: string;
  orgName: string;
  /** Called when an invitation was created, to refresh the pending list. */
  onInvited: () => void;
}

/** Invite by email; then show the one-time link (it is never shown again) with a copy button. */
export function InviteDialog({ open, onClose, orgId, orgName, onInvited }: InviteDialogProps) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InviteRole>('member');
  const [created, setCreated] = useState<CreatedInvitationResult | null>(null);
  const { errors, submitting, run, clearError, reset: resetErrors } = useSubmit(FIELDS);
  const formId = useId();

  const reset = () => {
    setEmail('');
    setRole('member');
    setCreated(null);
    resetErrors();
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = () =>
    run(
      async () => {
        setCreated(await accountsApi.invite(orgId, { email, role }));
        onInvited();
      },
      () => requireFields({ email }, { email: "Enter the person's email address." }),
    );

  const footer = created ? (
    <>
      <Button icon={<UserPlus size={16} aria-hidden="true" />} onClick={reset}>
        Invite someone else
      </Button>
      <Button variant="primary" onClick={close}>
        Done
      </Button>
    </>
  ) : (
    <>
      <Button onClick={close} disabled={submitting}>
        Cancel
      </Button>
      <Button type="submit" form={formId} variant="primary" loading={submitting} icon={<Send size={16} aria-hidden="true" />}>
        Create invitation
      </Button>
    </>
  );

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={submitting}
      title={created ? 'Invitation ready' : `Invite people to ${orgName}`}
      description={created ? undefined : 'They get a link to create their account, or sign in, and join.'}
      footer={footer}
    >
      {created ? (
        <OneTimeLink
          title={`${created.invitation.email} is invited`}
          link={created.link}
          emailed={created.emailed}
          expiresAt={created.invitation.expiresAt}
          ifLost="If it gets lost, revoke the invitation and create a new one."
        />
      ) : (
        <Form id={formId} onSubmit={() => void submit()} errors={errors} aria-label="Invite by email">
          <TextField
            label="Email address"
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
          <RadioCards<InviteRole>
            legend="Role"
            name="role"
            value={role}
            onChange={setRole}
            error={errors.fields.role}
            options={[
              { value: 'member', label: 'Member', description: ROLE_DESCRIPTIONS.member },
              { value: 'admin', label: 'Admin', description: ROLE_DESCRIPTIONS.admin },
            ]}
          />
        </Form>
      )}
    </Dialog>
  );
}
