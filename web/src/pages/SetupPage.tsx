import { type ChangeEvent, useState } from 'react';
import { ArrowRight } from 'lucide-react';
import { useLocation } from 'wouter';
import { accountsApi } from '../api/accounts.ts';
import { requireFields, useSubmit } from '../lib/useSubmit.ts';
import { useSession } from '../session/session.tsx';
import { AuthLayout } from '../shell/AuthLayout.tsx';
import { homePath } from '../shell/home.ts';
import { Button } from '../ui/Button.tsx';
import { PasswordField, TextField } from '../ui/Field.tsx';
import { Form } from '../ui/Form.tsx';

const FIELDS = ['organizationName', 'name', 'email', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** First run: creates the first organization and its owner, then closes for good. */
export function SetupPage() {
  const { setupFinished } = useSession();
  const [, navigate] = useLocation();
  const [values, setValues] = useState<Record<Field, string>>({ organizationName: '', name: '', email: '', password: '' });
  const { errors, submitting, run, clearError } = useSubmit(FIELDS);

  const set = (field: Field) => (event: ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    clearError(field);
  };

  const submit = () =>
    run(
      async () => {
        const me = await accountsApi.setup(values);
        setupFinished(me);
        navigate(homePath(me), { replace: true });
      },
      () =>
        requireFields(values, {
          organizationName: 'Enter the organization name.',
          name: 'Enter your name.',
          email: 'Enter your email address.',
          password: 'Choose a password.',
        }),
    );

  return (
    <AuthLayout
      documentTitle="Set up"
      title="Set up Tally"
      subtitle="Create your organization and its owner account. You can invite your team right after."
      footer="This page is shown once. After setup, people join by invitation."
    >
      <Form onSubmit={() => void submit()} errors={errors} aria-label="Set up Tally">
        <TextField
          label="Organization name"
          name="organizationName"
          autoComplete="organization"
          hint="Usually your company's name. You can connect its accounts next."
          value={values.organizationName}
          onChange={set('organizationName')}
          error={errors.fields.organizationName}
          autoFocus
        />
        <TextField label="Your name" name="name" autoComplete="name" value={values.name} onChange={set('name')} error={errors.fields.name} />
        <TextField
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          value={values.email}
          onChange={set('email')}
          error={errors.fields.email}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="new-password"
          hint="At least 10 characters. A few words strung together work well."
          value={values.password}
          onChange={set('password')}
          error={errors.fields.password}
        />
        <Button type="submit" variant="primary" size="lg" block loading={submitting} iconEnd={<ArrowRight size={18} aria-hidden="true" />}>
          Create organization
        </Button>
      </Form>
    </AuthLayout>
  );
}
