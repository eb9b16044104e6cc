import { type ChangeEvent, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { accountsApi } from '../api/accounts.ts';
import { safeNextPath } from '../lib/nextPath.ts';
import { requireFields, useSubmit } from '../lib/useSubmit.ts';
import { useSession } from '../session/session.tsx';
import { AuthLayout } from '../shell/AuthLayout.tsx';
import { homePath } from '../shell/home.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { PasswordField, TextField } from '../ui/Field.tsx';
import { Form } from '../ui/Form.tsx';

const FIELDS = ['email', 'password'] as const;
type Field = (typeof FIELDS)[number];

export function LoginPage() {
  const { signedIn, expired } = useSession();
  const [, navigate] = useLocation();
  const search = useSearch();
  const [values, setValues] = useState<Record<Field, string>>({ email: '', password: '' });
  const { errors, submitting, run, clearError } = useSubmit(FIELDS);

  const set = (field: Field) => (event: ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    clearError(field);
  };

  const submit = () =>
    run(
      async () => {
        const me = await accountsApi.login(values);
        signedIn(me);
        navigate(safeNextPath(search) ?? homePath(me), { replace: true });
      },
      () => requireFields(values, { email: 'Enter your email address.', password: 'Enter your password.' }),
    );

  return (
    <AuthLayout
      documentTitle="Sign in"
      title="Sign in to Tally"
      subtitle="Welcome back. Sign in with the email your organization invited."
      footer={
        <>
          New here? Ask an admin of your organization for an invitation link. Forgot your password? Whoever runs
          your Tally can reset it.
        </>
      }
    >
      {expired ? (
        <Alert tone="info" title="Your session ended">
          Sign in again to pick up where you left off.
        </Alert>
      ) : null}
      <Form onSubmit={() => void submit()} errors={errors} aria-label="Sign in">
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          value={values.email}
          onChange={set('email')}
          error={errors.fields.email}
          autoFocus
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={values.password}
          onChange={set('password')}
          error={errors.fields.password}
        />
        <Button type="submit" variant="primary" size="lg" block loading={submitting}>
          Sign in
        </Button>
      </Form>
    </AuthLayout>
  );
}
