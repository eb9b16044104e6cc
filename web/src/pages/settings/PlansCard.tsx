import type { AppSummary } from '../../api/analytics.ts';
import { type AppSettings, appSettingsApi } from '../../api/appSettings.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useResource } from '../../lib/useResource.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorState } from '../../ui/ErrorState.tsx';
import { Fact, FactNote, Facts } from '../../ui/Facts.tsx';
import { Skeleton } from '../../ui/Skeleton.tsx';
import { formatCount, formatMoney } from '../../ui/numbers.ts';
import { ProviderLogo } from '../connections/ProviderLogo.tsx';
import { PlansForm } from './PlansForm.tsx';
import { formatDay, seatCost } from './PlansValues.ts';
import styles from './Settings.module.css';
import own from './Plans.module.css';

export interface PlansCardProps {
  orgId: string;
  app: AppSummary;
  admin: boolean;
  /** After a save: the app's figures (seats, spend) were recomputed, so the list is asked again. */
  onSaved: () => void;
}

const SEAT_SOURCE = { provider: 'members of the workspace', override: 'set below', none: 'unknown' } as const;

/** One connected app: its seats and what they cost now, and its plan settings (a form for admins). */
export function PlansCard({ orgId, app, admin, onSaved }: PlansCardProps) {
  const settings = useResource(`app-settings:${app.appId}`, () => appSettingsApi.get(orgId, app.appId));
  const titleId = `plan-${app.appId}`;
  const cost = seatCost(app.seats, app.pricePerSeat);

  return (
    <Card
      id={titleId}
      title={
        <>
          <ProviderLogo provider={app.provider} size={32} />
          {app.name}
        </>
      }
      actions={
        app.connectionStatus === 'active' ? null : (
          <Badge tone="warning" dot>
            {app.connectionStatus === 'needs_reconnect' ? 'Reconnect needed' : 'Disconnected'}
          </Badge>
        )
      }
    >
      <div className={styles.sections}>
        <section className={styles.section} aria-labelledby={`${titleId}-now`}>
          <h3 id={`${titleId}-now`} className={styles.sectionTitle}>
            {app.peopleBased ? 'Seats and spend' : 'Spend'}
          </h3>
          <Facts>
            {app.peopleBased ? (
              <>
                <Fact label="Seats">
                  {app.seats === null ? '—' : formatCount(app.seats)}
                  <FactNote>{SEAT_SOURCE[app.seatSource]}</FactNote>
                </Fact>
                <Fact label="Seat cost a month">
                  <span data-testid="seat-cost">{cost === null ? '—' : formatMoney(cost)}</span>
                  <FactNote>{cost === null ? (app.pricePerSeat === null ? 'No price per seat yet' : 'Seat count unknown') : `${formatCount(app.seats!)} × ${formatMoney(app.pricePerSeat!)}`}</FactNote>
                </Fact>
              </>
            ) : (
              <Fact label="Billing">
                From invoices
                <FactNote>Billed by resource, not by seat</FactNote>
              </Fact>
            )}
            <Fact label="Spend this month">{formatMoney(app.spendMonthToDate)}</Fact>
          </Facts>
        </section>
        <section className={styles.section} aria-labelledby={`${titleId}-plan`}>
          <h3 id={`${titleId}-plan`} className={styles.sectionTitle}>
            Plan
          </h3>
          {settings.loading ? (
            <div className={own.loading} aria-busy="true">
              <Skeleton width="60%" height={12} />
              <Skeleton width="40%" height={12} />
            </div>
          ) : settings.error || !settings.data ? (
            <ErrorState title="Couldn't load this app's plan" message={settings.error?.message ?? 'No answer.'} onRetry={settings.reload} />
          ) : admin ? (
            <PlansForm
              orgId={orgId}
              app={app}
              settings={settings.data}
              onSaved={(saved) => {
                settings.mutate(() => saved);
                onSaved();
              }}
            />
          ) : (
            <ReadOnlyPlan app={app} settings={settings.data} />
          )}
          {settings.data?.updatedAt ? (
            <p className={styles.help}>
              Last changed{' '}
              <time dateTime={settings.data.updatedAt} title={formatDateTime(settings.data.updatedAt)}>
                {formatRelative(settings.data.updatedAt)}
              </time>
              {settings.data.updatedBy ? ` by ${settings.data.updatedBy}` : ''}.
            </p>
          ) : null}
        </section>
      </div>
    </Card>
  );
}

function ReadOnlyPlan({ app, settings: s }: { app: AppSummary; settings: AppSettings }) {
  const money = (v: string | null) => (v === null ? 'Not set' : formatMoney(v));
  return (
    <Facts>
      <Fact label="Plan">{s.planName ?? 'Not set'}</Fact>
      {app.peopleBased ? <Fact label="Price per seat a month">{money(s.pricePerSeat)}</Fact> : null}
      {app.peopleBased ? <Fact label="Seat count">{s.seatCountOverride === null ? 'From the provider' : formatCount(s.seatCountOverride)}</Fact> : null}
      <Fact label="Renews">{s.renewalDate ? formatDay(s.renewalDate) : 'Not set'}</Fact>
      <Fact label="Contract value a year">{money(s.contractValue)}</Fact>
      {app.peopleBased ? <Fact label="Inactive after">{s.inactivityThresholdDays} days without activity</Fact> : null}
    </Facts>
  );
}
