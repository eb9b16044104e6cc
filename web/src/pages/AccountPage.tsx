import { useState } from 'react';
import { ArrowRight, Building2 } from 'lucide-react';
import { Link } from 'wouter';
import { accountsApi } from '../api/accounts.ts';
import { formatDate, roleLabel } from '../lib/format.ts';
import { requireFields, useSubmit } from '../lib/useSubmit.ts';
import { useMe, useSession } from '../session/session.tsx';
import { organizationHome } from '../shell/navigation.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Card } from '../ui/Card.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { PasswordField, ReadOnlyField, TextField } from '../ui/Field.tsx';
import { Form, FormActions } from '../ui/Form.tsx';
import { Page } from '../ui/Page.tsx';
import { useToast } from '../ui/Toast.tsx';
import styles from './AccountPage.module.css';

/** The signed-in person's own settings: name, password, and the organizations they belong to. */
export function AccountPage() {
  const me = useMe();
  return (
    <Page title="Account" eyebrow="Your account" description="Your profile and how you sign in. These settings apply in every organization.">
      <div className={styles.grid}>
        <ProfileCard />
        <PasswordCard />
      </div>
      <Card title="Organizations" description="Where you're a member, and your role in each." flush>
        {me.memberships.length === 0 ? (
          <EmptyState compact icon={<Building2 size={22} />} title="You're not in any organization">
            Ask an admin for an invitation link to join one.
          </EmptyState>
        ) : (
          <ul className={styles.orgList}>
            {me.memberships.map(({ organization, role }) => (
              <li key={organization.id}>
                <Link href={organizationHome(organization.id)} className={styles.orgRow}>
                  <Avatar name={organization.name} seed={organization.id} size={36} shape="square" />
                  <span className={styles.orgText}>
                    <span className={styles.orgName}>{organization.name}</span>
                    <span className={styles.orgMeta}>Created {formatDate(organization.createdAt)}</span>
                  </span>
                  <Badge tone={role === 'owner' ? 'brand' : role === 'admin' ? 'info' : 'neutral'}>{roleLabel(role)}</Badge>
                  <ArrowRight size={16} className={styles.orgArrow} aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Page>
  );
}

const PROFILE_FIELDS = ['name'] as const;

function ProfileCard() {
  const me = useMe();
  const { signedIn } = useSession();
  const toast = useToast();
  const [name, setName] = useState(me.user.name);
  const { errors, submitting, run, clearError } = useSubmit(PROFILE_FIELDS);
  const unchanged = name.trim() === me.user.name;

  const submit = () =>
    run(
      async () => {
        const updated = await accountsApi.updateMe({ name });
        signedIn(updated);
        setName(updated.user.name);
        toast.success('Your name was saved.');
      },
      () => requireFields({ name }, { name: 'Enter your name.' }),
    );

  return (
    <Card title="Profile" description="How you appear to others in your organizations.">
      <Form onSubmit={() => void submit()} errors={errors} aria-label="Profile">
        <div className={styles.profileHead}>
          <Avatar name={name || me.user.name} seed={me.user.id} size={48} />
          <div>
            <p className={styles.profileName}>{me.user.name}</p>
            <p className={styles.profileMeta}>Member since {formatDate(me.user.createdAt)}</p>
          </div>
        </div>
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            clearError('name');
          }}
          error={errors.fields.name}
        />
        <ReadOnlyField label="Email" value={me.user.email} hint="You sign in with this address. It can't be changed here." />
        <FormActions>
          <Button type="submit" variant="primary" loading={submitting} disabled={unchanged}>
            Save profile
          </Button>
        </FormActions>
      </Form>
    </Card>
  );
}

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;

function PasswordCard() {
  const me = useMe();
  const toast = useToast();
  const [values, setValues] = useState({ currentPassword: '', newPassword: '' });
  const { errors, submitting, run, clearError } = useSubmit(PASSWORD_FIELDS);

  const set = (field: (typeof PASSWORD_FIELDS)[number]) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    clearError(field);
  };

  const submit = () =>
    run(
      async () => {
        await accountsApi.changePassword(values);
        setValues({ currentPassword: '', newPassword: '' });
        toast.success('Password changed. You were signed out everywhere else.');
      },
      () =>
        requireFields(values, {
          currentPassword: 'Enter your current password.',
          newPassword: 'Choose a new password.',
        }),
    );

  return (
    <Card title="Password" description="Changing it signs you out of every other browser and device.">
      <Form onSubmit={() => void submit()} errors={errors} aria-label="Change password">
        {/* Lets password managers know whose password changes. */}
        <input type="email" name="username" autoComplete="username" value={me.user.email} readOnly hidden />
        <PasswordField
          label="Current password"
          name="currentPassword"
          autoComplete="current-password"
          value={values.currentPassword}
          onChange={set('currentPassword')}
          error={errors.fields.currentPassword}
        />
        <PasswordField
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          hint="At least 10 characters."
          value={values.newPassword}
          onChange={set('newPassword')}
          error={errors.fields.newPassword}
        />
        <FormActions>
          <Button type="submit" variant="primary" loading={submitting}>
            Change password
          </Button>
        </FormActions>
      </Form>
    </Card>
  );
}
