import { type ChangeEvent, useState } from 'react';
import { Clock, LogIn } from 'lucide-react';
import { useLocation } from 'wouter';
import { type InvitationPreview, type Me, accountsApi } from '../api/accounts.ts';
import { formatDate, formatRelative, roleLabel } from '../lib/format.ts';
import { useResource } from '../lib/useResource.ts';
import type { FormErrors } from '../lib/formErrors.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { useSession } from '../session/session.tsx';
import { AuthLayout } from '../shell/AuthLayout.tsx';
import { homePath } from '../shell/home.ts';
import { organizationHome } from '../shell/navigation.ts';
import { Alert } from '../ui/Alert.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button, ButtonLink } from '../ui/Button.tsx';
import { PasswordField, ReadOnlyField, TextField } from '../ui/Field.tsx';
import { Form } from '../ui/Form.tsx';
import { Skeleton } from '../ui/Skeleton.tsx';
import styles from './InvitePage.module.css';

const FIELDS = ['name', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** Where the invitee lands: the organization they just joined. */
function joinedOrganizationPath(me: Me, organizationName: string): string {
  const joined = me.memberships.filter((m) => m.organization.name === organizationName);
  const newest = joined.sort((a, b) => b.organization.createdAt.localeCompare(a.organization.createdAt))[0];
  return newest ? organizationHome(newest.organization.id) : homePath(me);
}

export function InvitePage({ token }: { token: string }) {
  const { me } = useSession();
  const preview = useResource(`invitation:${token}`, () => accountsApi.invitationPreview(token));

  if (preview.loading) {
    return (
      <AuthLayout documentTitle="Invitation" title="Opening your invitation…">
        <div className={styles.summary} aria-busy="true">
          <Skeleton width={44} height={44} radius={10} />
          <div className={styles.summaryText}>
            <Skeleton width="60%" height={14} />
            <Skeleton width="40%" height={12} />
          </div>
        </div>
      </AuthLayout>
    );
  }

  if (preview.error || !preview.data) {
    return (
      <AuthLayout
        documentTitle="Invitation unavailable"
        title="This invitation can't be used"
        subtitle="Ask the person who invited you for a new link."
      >
        <Alert tone="danger" title="Invitation unavailable" live>
          {preview.error?.message}
        </Alert>
        {me ? (
          <ButtonLink href={homePath(me)} variant="secondary" size="lg" block>
            Go to your dashboard
          </ButtonLink>
        ) : (
          <ButtonLink href="/login" variant="secondary" size="lg" block icon={<LogIn size={18} aria-hidden="true" />}>
            Go to sign in
          </ButtonLink>
        )}
      </AuthLayout>
    );
  }

  return <AcceptInvitation token={token} invitation={preview.data} />;
}

function AcceptInvitation({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const { me, signedIn } = useSession();
  const [, navigate] = useLocation();
  const [values, setValues] = useState<Record<Field, string>>({ name: '', password: '' });
  const { errors, submitting, run, clearError } = useSubmit(FIELDS);

  const signedInAsInvitee = me?.user.email.toLowerCase() === invitation.email.toLowerCase();
  const mode = signedInAsInvitee ? 'confirm' : invitation.accountExists ? 'password' : 'create';
  const orgName = invitation.organization.name;

  const set = (field: Field) => (event: ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    clearError(field);
  };

  const check = (): FormErrors<Field> => {
    const result: FormErrors<Field> = { fields: {} };
    if (mode === 'create' && values.name.trim() === '') result.fields.name = 'Enter your name.';
    if (mode !== 'confirm' && values.password === '') {
      result.fields.password = mode === 'create' ? 'Choose a password.' : 'Enter your password.';
    }
    return result;
  };

  const submit = () =>
    run(async () => {
      const input = mode === 'create' ? values : mode === 'password' ? { password: values.password } : {};
      const joined = await accountsApi.acceptInvitation(token, input);
      signedIn(joined);
      navigate(joinedOrganizationPath(joined, orgName), { replace: true });
    }, check);

  return (
    <AuthLayout
      documentTitle={`Join ${orgName}`}
      title={`Join ${orgName} on Tally`}
      subtitle={
        mode === 'create'
          ? 'Create your account to see what your organization uses and spends.'
          : mode === 'password'
            ? 'You already have a Tally account. Confirm your password to join.'
            : 'Accept to add this organization to your account.'
      }
    >
      <div className={styles.summary}>
        <Avatar name={orgName} size={44} shape="square" />
        <div className={styles.summaryText}>
          <p className={styles.orgName}>{orgName}</p>
          <p className={styles.meta}>
            Invited as <Badge tone={invitation.role === 'member' ? 'neutral' : 'brand'}>{roleLabel(invitation.role)}</Badge>
          </p>
        </div>
        <p className={styles.expiry} title={formatDate(invitation.expiresAt)}>
          <Clock size={14} aria-hidden="true" /> Expires {formatRelative(invitation.expiresAt)}
        </p>
      </div>

      {me && !signedInAsInvitee ? (
        <Alert tone="warning" title={`You're signed in as ${me.user.email}`}>
          This invitation is for {invitation.email}. Continuing signs you in as {invitation.email}.
        </Alert>
      ) : null}

      <Form onSubmit={() => void submit()} errors={errors} aria-label={`Join ${orgName}`}>
        <ReadOnlyField label="Email" value={invitation.email} />
        {mode === 'create' ? (
          <TextField label="Your name" name="name" autoComplete="name" value={values.name} onChange={set('name')} error={errors.fields.name} autoFocus />
        ) : null}
        {mode !== 'confirm' ? (
          <PasswordField
            label={mode === 'create' ? 'Choose a password' : 'Password'}
            name="password"
            autoComplete={mode === 'create' ? 'new-password' : 'current-password'}
            hint={mode === 'create' ? 'At least 10 characters.' : undefined}
            value={values.password}
            onChange={set('password')}
            error={errors.fields.password}
            autoFocus={mode === 'password'}
          />
        ) : null}
        <Button type="submit" variant="primary" size="lg" block loading={submitting}>
          {mode === 'create' ? 'Create account and join' : `Join ${orgName}`}
        </Button>
      </Form>
    </AuthLayout>
  );
}
