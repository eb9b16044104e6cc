import { useId, useState } from 'react';
import { KeyRound } from 'lucide-react';
import { type ProviderCard, connectionsApi } from '../../api/connections.ts';
import { requireFields, useSubmit } from '../../lib/useSubmit.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { PasswordField, TextField } from '../../ui/Field.tsx';
import { Form } from '../../ui/Form.tsx';
import { withArticle } from './ProviderCard.tsx';

const FIELDS = ['token', 'email'] as const;

export interface PersonalTokenDialogProps {
  orgId: string;
  /** The provider the token is for; null keeps the dialog closed. */
  card: ProviderCard | null;
  onClose: () => void;
  /** Called after Tally checked and stored the token. */
  onConnected: (card: ProviderCard, result: 'connected' | 'reconnected') => void;
}

/**
 * The alternative to OAuth: paste a token, Tally checks it with the same call as after consent and
 * stores it the same way. A token of a different account than the connected one asks before replacing.
 */
export function PersonalTokenDialog({ orgId, card, onClose, onConnected }: PersonalTokenDialogProps) {
  const [token, setToken] = useState('');
  const [email, setEmail] = useState('');
  const [mismatch, setMismatch] = useState<{ existingAccount: string | undefined } | null>(null);
  const { errors, submitting, run, clearError, reset } = useSubmit(FIELDS);
  const formId = useId();
  const needsEmail = card?.provider === 'bitbucket';

  const close = () => {
    setToken('');
    setEmail('');
    setMismatch(null);
    reset();
    onClose();
  };

  const submit = () =>
    run(
      async () => {
        if (!card) return;
        const saved = await connectionsApi.personalToken(orgId, card.provider, {
          token,
          ...(needsEmail && email.trim() !== '' ? { email } : {}),
          ...(mismatch ? { replaceAccount: true } : {}),
        });
        if (saved.result === 'account_mismatch') {
          setMismatch({ existingAccount: saved.existingAccount });
          return;
        }
        onConnected(card, saved.result);
        close();
      },
      () => requireFields({ token, email }, { token: `Paste the ${card?.personalToken.label.toLowerCase() ?? 'token'}.` }),
    );

  const label = card?.personalToken.label ?? 'Token';
  return (
    <Dialog
      open={card !== null}
      onClose={close}
      busy={submitting}
      title={card ? `Connect ${card.name} with ${withArticle(label)}` : ''}
      description="Use this when OAuth isn't an option. Tally checks the token with one read-only call and stores it encrypted."
      footer={
        <>
          <Button onClick={close} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={submitting} icon={<KeyRound size={16} aria-hidden="true" />}>
            {mismatch ? 'Replace the account' : 'Check and connect'}
          </Button>
        </>
      }
    >
      {card ? (
        <Form id={formId} onSubmit={() => void submit()} errors={errors} aria-label={`${label} for ${card.name}`}>
          {mismatch ? (
            <Alert tone="warning" title="This token belongs to a different account" live>
              {card.name} is connected as {mismatch.existingAccount ?? 'another account'}. Replacing it keeps the connection's history and
              syncs the new account from now on.
            </Alert>
          ) : null}
          <Alert tone="info">{card.personalToken.help}</Alert>
          {needsEmail ? (
            <TextField
              label="Atlassian account email"
              type="email"
              name="email"
              inputMode="email"
              autoComplete="off"
              hint="API tokens sign in with the email of the Atlassian account that created them. Leave empty for a workspace access token."
              value={email}
              onChange={(event) => {
                setEmail(event.target.value);
                clearError('email');
                setMismatch(null);
              }}
              error={errors.fields.email}
            />
          ) : null}
          <PasswordField
            label={label}
            name="token"
            autoComplete="off"
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
              clearError('token');
              setMismatch(null);
            }}
            error={errors.fields.token}
            autoFocus={!needsEmail}
          />
        </Form>
      ) : null}
    </Dialog>
  );
}
