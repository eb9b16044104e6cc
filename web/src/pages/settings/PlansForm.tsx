import { useState } from 'react';
import { Save } from 'lucide-react';
import type { AppSummary } from '../../api/analytics.ts';
import { type AppSettings, appSettingsApi } from '../../api/appSettings.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { Button } from '../../ui/Button.tsx';
import { TextField } from '../../ui/Field.tsx';
import { Form, FormActions } from '../../ui/Form.tsx';
import { formatCount } from '../../ui/numbers.ts';
import { useToast } from '../../ui/Toast.tsx';
import { PROVIDER_NAMES } from '../connections/ProviderLogo.tsx';
import { PLAN_FIELDS, type PlanDraft, type PlanField, draftOf, toRequest } from './PlansValues.ts';
import own from './Plans.module.css';

export interface PlansFormProps {
  orgId: string;
  app: AppSummary;
  settings: AppSettings;
  onSaved: (saved: AppSettings) => void;
}

/**
 * An app's plan for admins. Amounts are typed as text and sent as decimal strings; what the API refuses
 * (a threshold out of range, say) comes back beside its field in the API's words.
 */
export function PlansForm({ orgId, app, settings, onSaved }: PlansFormProps) {
  const toast = useToast();
  const [draft, setDraft] = useState<PlanDraft>(() => draftOf(settings));
  const { errors, submitting, run, clearError } = useSubmit(PLAN_FIELDS);
  const field = (name: PlanField) => ({
    name,
    value: draft[name],
    error: errors.fields[name],
    onChange: (event: { target: { value: string } }) => {
      setDraft((d) => ({ ...d, [name]: event.target.value }));
      clearError(name);
    },
  });

  const submit = () => {
    const built = toRequest(draft, app.peopleBased);
    return run(
      async () => {
        if (!('input' in built)) return;
        const saved = await appSettingsApi.save(orgId, app.appId, built.input);
        setDraft(draftOf(saved));
        onSaved(saved);
        toast.success(`Plan saved for ${app.name}: its spend and insights are recomputed.`);
      },
      () => ('errors' in built ? { fields: built.errors } : { fields: {} }),
    );
  };

  return (
    <Form onSubmit={() => void submit()} errors={errors} aria-label={`${app.name} plan`}>
      <div className={own.grid}>
        <TextField label="Plan name" maxLength={120} autoComplete="off" placeholder={app.provider === 'bitbucket' ? 'Standard' : 'Pay as you go'} {...field('planName')} />
        {app.peopleBased ? (
          <TextField
            label="Price per seat a month (USD)"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0.00"
            hint={`${PROVIDER_NAMES[app.provider]} has no billing API: its spend is seats × this price.`}
            {...field('pricePerSeat')}
          />
        ) : null}
        {app.peopleBased ? (
          <TextField
            label="Seat count"
            inputMode="numeric"
            autoComplete="off"
            placeholder={app.seatSource === 'provider' && app.seats !== null ? formatCount(app.seats) : ''}
            hint={settings.seatCountOverride === null && app.seats !== null ? `Empty: the workspace's ${formatCount(app.seats)} members.` : "Empty: the workspace's members."}
            {...field('seatCountOverride')}
          />
        ) : null}
        <TextField label="Renewal date" type="date" {...field('renewalDate')} />
        <TextField label="Contract value a year (USD)" inputMode="decimal" autoComplete="off" placeholder="0.00" {...field('contractValue')} />
        {app.peopleBased ? (
          <TextField
            label="Inactive after (days)"
            inputMode="numeric"
            autoComplete="off"
            hint="Days without activity after which a seat counts as inactive (7 to 365)."
            {...field('inactivityThresholdDays')}
          />
        ) : null}
      </div>
      <FormActions>
        <Button type="submit" variant="primary" loading={submitting} icon={<Save size={16} aria-hidden="true" />}>
          Save {app.name} plan
        </Button>
      </FormActions>
    </Form>
  );
}
