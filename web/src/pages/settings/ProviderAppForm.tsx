import { useId, useState } from 'react';
import { Save, Trash2 } from 'lucide-react';
import type { ProviderApp, ProviderAppList } from '../../api/settings.ts';
import { settingsApi } from '../../api/settings.ts';
import { requireFields, useSubmit } from '../../lib/useSubmit.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { PasswordField, TextField } from '../../ui/Field.tsx';
import { Form, FormActions } from '../../ui/Form.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { SecretStatus } from './SettingsParts.tsx';

const FIELDS = ['clientId', 'clientSecret'] as const;

export interface ProviderAppFormProps {
  app: ProviderApp;
  onSaved: (list: ProviderAppList) => void;
  onRemoved: () => void;
}

/**
 * Client id and secret saved on the settings page. The saved secret is never shown: the field starts empty
 * and, left empty, keeps it.
 */
export function ProviderAppForm({ app, onSaved, onRemoved }: ProviderAppFormProps) {
  const toast = useToast();
  const [clientId, setClientId] = useState(app.saved?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [removing, setRemoving] = useState(false);
  const { errors, submitting, run, clearError } = useSubmit(FIELDS);
  const formId = useId();
  const secretSaved = app.saved !== null;

  const submit = () =>
    run(
      async () => {
        const list = await settingsApi.saveProviderApp(app.provider, { clientId, ...(clientSecret.trim() ? { clientSecret } : {}) });
        setClientSecret('');
        onSaved(list);
        toast.success(
          app.simulated
            ? `The ${app.name} app is saved. Tally keeps using the simulator until it restarts.`
            : `The ${app.name} app is saved. Connect ${app.name} uses it from now on.`
        );
      },
      () =>
        requireFields(
          { clientId, clientSecret },
          secretSaved
            ? { clientId: 'Enter the client id (key).' }
            : { clientId: 'Enter the client id (key).', clientSecret: 'Enter the client secret.' }
        )
    );

  return (
    <>
      <Form id={formId} onSubmit={() => void submit()} errors={errors} aria-label={`${app.name} OAuth app`}>
        <TextField
          label="Client ID"
          name="clientId"
          autoComplete="off"
          spellCheck={false}
          value={clientId}
          hint={app.provider === 'bitbucket' ? 'Bitbucket calls it the Key of the OAuth consumer.' : undefined}
          onChange={(event) => {
            setClientId(event.target.value);
            clearError('clientId');
          }}
          error={errors.fields.clientId}
        />
        <PasswordField
          label="Client secret"
          name="clientSecret"
          autoComplete="new-password"
          labelAside={<SecretStatus set={secretSaved} />}
          placeholder={secretSaved ? 'Saved; type a new one to replace it' : ''}
          hint={
            secretSaved ? 'Stored encrypted and never shown. Leave it empty to keep the saved secret.' : 'Stored encrypted; it is never shown again.'
          }
          value={clientSecret}
          onChange={(event) => {
            setClientSecret(event.target.value);
            clearError('clientSecret');
          }}
          error={errors.fields.clientSecret}
        />
        <FormActions>
          <Button type="submit" variant="primary" loading={submitting} icon={<Save size={16} aria-hidden="true" />}>
            Save {app.name} app
          </Button>
          {secretSaved ? (
            <Button variant="danger-outline" icon={<Trash2 size={16} aria-hidden="true" />} onClick={() => setRemoving(true)}>
              Remove
              <span className="visually-hidden"> the {app.name} app</span>
            </Button>
          ) : null}
        </FormActions>
      </Form>
      <ConfirmDialog
        open={removing}
        onClose={() => setRemoving(false)}
        title={`Remove the ${app.name} app?`}
        confirmLabel="Remove app"
        onConfirm={async () => {
          await settingsApi.removeProviderApp(app.provider);
          setClientId('');
          toast.success(`The ${app.name} app was removed.`);
          onRemoved();
        }}
      >
        Connect and Reconnect for {app.name} stop working until an app is configured again, and existing {app.name} connections can't renew their
        access. Personal tokens keep working.
      </ConfirmDialog>
    </>
  );
}
