import { useId, useState } from 'react';
import { useLocation } from 'wouter';
import { accountsApi } from '../api/accounts.ts';
import { requireFields, useSubmit } from '../lib/useSubmit.ts';
import { useSession } from '../session/session.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { TextField } from '../ui/Field.tsx';
import { Form } from '../ui/Form.tsx';
import { useToast } from '../ui/Toast.tsx';
import { organizationHome } from './navigation.ts';

const FIELDS = ['name'] as const;

/** Another organization (a second company, a client) with you as its owner. */
export function CreateOrganizationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { me, signedIn } = useSession();
  const [, navigate] = useLocation();
  const toast = useToast();
  const [name, setName] = useState('');
  const { errors, submitting, run, clearError, reset } = useSubmit(FIELDS);
  const formId = useId();

  const close = () => {
    setName('');
    reset();
    onClose();
  };

  const submit = () =>
    run(
      async () => {
        const before = new Set(me?.memberships.map((m) => m.organization.id));
        const updated = await accountsApi.createOrganization(name);
        const created = updated.memberships.find((m) => !before.has(m.organization.id));
        signedIn(updated);
        close();
        toast.success(`${created?.organization.name ?? name.trim()} is ready. Invite your team next.`);
        if (created) navigate(organizationHome(created.organization.id));
      },
      () => requireFields({ name }, { name: 'Enter the organization name.' }),
    );

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={submitting}
      size="sm"
      title="New organization"
      description="You become its owner. Its connections, members and spend are kept apart from your other organizations."
      footer={
        <>
          <Button onClick={close} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={submitting}>
            Create organization
          </Button>
        </>
      }
    >
      <Form id={formId} onSubmit={() => void submit()} errors={errors} aria-label="New organization">
        <TextField
          label="Organization name"
          name="name"
          autoComplete="organization"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            clearError('name');
          }}
          error={errors.fields.name}
          autoFocus
        />
      </Form>
    </Dialog>
  );
}
