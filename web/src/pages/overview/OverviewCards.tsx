import { ArrowRight, CircleCheck, PiggyBank, TriangleAlert } from 'lucide-react';
import { Link, useSearch } from 'wouter';
import type { AppSummary, Insight } from '../../api/analytics.ts';
import { BarList } from '../../charts/BarList.tsx';
import { Meter, utilizationTone } from '../../charts/Meter.tsx';
import { PROVIDER_COLORS } from '../../charts/palette.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { organizationPath } from '../../shell/navigation.ts';
import { Badge } from '../../ui/Badge.tsx';
import { ButtonLink } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { carryRange } from '../../ui/dateRange.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { decimalToNumber, formatCount, formatMoney, formatPercent } from '../../ui/numbers.ts';
import { AppName } from '../apps/AppName.tsx';
import { LevelBar } from '../apps/LevelBar.tsx';
import { SEVERITY_VIEW } from '../insights/severity.ts';
import styles from './Overview.module.css';

/** This month's spend per app so far, largest first, with last month beside it. */
export function SpendByAppCard({ orgId, apps }: { orgId: string; apps: AppSummary[] }) {
  const items = [...apps]
    .sort((a, b) => decimalToNumber(b.spendMonthToDate) - decimalToNumber(a.spendMonthToDate))
    .map((app) => ({
      key: app.appId,
      label: <AppName orgId={orgId} app={app} />,
      amount: decimalToNumber(app.spendMonthToDate),
      value: formatMoney(app.spendMonthToDate),
      detail: `Last month ${formatMoney(app.spendLastMonth)}${app.provider === 'bitbucket' && app.pricePerSeat === null ? ' · no price per seat set' : ''}`,
      color: PROVIDER_COLORS[app.provider],
    }));
  return (
    <Card title="Spend by app" description="This month so far">
      <BarList items={items} label="Spend by app this month" />
    </Card>
  );
}

/** Seats against the people active in them, per app, with how the seats split by usage level. */
export function AppsActivityCard({ orgId, apps, window, note }: { orgId: string; apps: AppSummary[]; window: string; note: string }) {
  return (
    <Card title="Seats and activity" description={`Seats against the people active in them in the last ${window} days`} flush>
      <ul className={styles.appRows}>
        {apps.map((app) => (
          <li key={app.appId} className={styles.appRow}>
            <div className={styles.appRowName}>
              <AppName orgId={orgId} app={app} />
              {app.planName ? <span className={styles.muted}>{app.planName}</span> : null}
            </div>
            {app.peopleBased ? (
              <>
                <div className={styles.appRowFigures}>
                  <p>
                    <strong>{formatCount(app.active)}</strong> active of <strong>{app.seats === null ? '—' : formatCount(app.seats)}</strong> seats
                  </p>
                  {app.utilization !== null ? (
                    <div className={styles.appRowMeter}>
                      <Meter ratio={app.utilization} label={`${app.name} seat utilization`} valueText={formatPercent(app.utilization)} tone={utilizationTone(app.utilization)} />
                      <span className={styles.meterValue}>{formatPercent(app.utilization)}</span>
                    </div>
                  ) : (
                    <p className={styles.muted}>Seat count unknown: set one in the app's settings.</p>
                  )}
                </div>
                <div className={styles.appRowLevels}>
                  <LevelBar counts={app.usageLevels} compact />
                </div>
              </>
            ) : (
              <div className={styles.appRowFigures}>
                <p>
                  <strong>{formatCount(app.resources)}</strong> resources running
                </p>
                <p className={styles.muted}>DigitalOcean has no team-members API: its utilization is about resources and money.</p>
              </div>
            )}
          </li>
        ))}
      </ul>
      <p className={styles.note}>{note}</p>
    </Card>
  );
}

/** The open insights with the largest saving, and the way to all of them. */
export function SavingsCard({ orgId, insights, total, open }: { orgId: string; insights: Insight[]; total: string; open: number }) {
  const range = carryRange(useSearch());
  return (
    <Card
      title="Top savings opportunities"
      description={open > 0 ? `${formatMoney(total)} a month across ${formatCount(open)} open ${open === 1 ? 'insight' : 'insights'}` : undefined}
      actions={
        open > 0 ? (
          <ButtonLink href={`${organizationPath(orgId, 'insights')}${range}`} size="sm" variant="ghost" iconEnd={<ArrowRight size={15} aria-hidden="true" />}>
            All insights
          </ButtonLink>
        ) : undefined
      }
      flush
    >
      {insights.length === 0 ? (
        <EmptyState compact icon={<PiggyBank size={22} />} title="Nothing to save right now">
          Idle droplets, unattached volumes and seats nobody uses show up here with what they cost a month.
        </EmptyState>
      ) : (
        <ul className={styles.savings}>
          {insights.map((insight) => (
            <li key={insight.insightId} className={styles.saving}>
              <div className={styles.savingText}>
                <p className={styles.savingTitle}>
                  <Badge tone={SEVERITY_VIEW[insight.severity].tone}>{SEVERITY_VIEW[insight.severity].label}</Badge>
                  <Link href={`${organizationPath(orgId, 'insights')}${range}#insight-${insight.insightId}`}>{insight.title}</Link>
                </p>
                <p className={styles.muted}>{insight.app ? `${insight.app.name} · ${insight.subject.name}` : insight.subject.name}</p>
              </div>
              <p className={styles.savingAmount}>
                {insight.estimatedMonthlySaving ? (
                  <>
                    {formatMoney(insight.estimatedMonthlySaving)}
                    <span className={styles.perMonth}>/mo</span>
                  </>
                ) : (
                  '—'
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function attentionReason(app: AppSummary): string | null {
  if (app.connectionStatus === 'needs_reconnect') return 'Needs Reconnect: syncing is paused';
  if (app.lastSyncStatus === 'failed') return 'The last sync failed';
  if (app.lastSyncAt === null && app.lastSyncStatus !== 'running') return 'Not synced yet';
  return null;
}

/** Every connection with its sync state; the ones that need someone first. */
export function AttentionCard({ orgId, apps }: { orgId: string; apps: AppSummary[] }) {
  const rows = apps.map((app) => ({ app, reason: attentionReason(app) })).sort((a, b) => Number(b.reason !== null) - Number(a.reason !== null));
  const needing = rows.filter((r) => r.reason !== null).length;
  return (
    <Card title="Connections" description={needing === 0 ? 'All connections are syncing normally' : `${needing} ${needing === 1 ? 'needs' : 'need'} attention`} flush>
      <ul className={styles.attention}>
        {rows.map(({ app, reason }) => (
          <li key={app.appId} className={`${styles.attentionRow} ${reason ? styles.attentionWarn : ''}`}>
            {reason ? <TriangleAlert size={18} className={styles.warnIcon} aria-hidden="true" /> : <CircleCheck size={18} className={styles.okIcon} aria-hidden="true" />}
            <div className={styles.attentionText}>
              <p className={styles.attentionName}>{app.name}</p>
              <p className={styles.muted}>
                {reason ??
                  (app.lastSyncStatus === 'running' ? (
                    'Syncing now'
                  ) : app.lastSyncAt ? (
                    <>
                      Synced{' '}
                      <time dateTime={app.lastSyncAt} title={formatDateTime(app.lastSyncAt)}>
                        {formatRelative(app.lastSyncAt)}
                      </time>
                    </>
                  ) : (
                    'Waiting for its first sync'
                  ))}
              </p>
            </div>
            {reason ? (
              <ButtonLink href={organizationPath(orgId, app.connectionStatus === 'needs_reconnect' ? 'connections' : 'sync-health')} size="sm">
                {app.connectionStatus === 'needs_reconnect' ? 'Reconnect' : 'Details'}
                <span className="visually-hidden"> for {app.name}</span>
              </ButtonLink>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
