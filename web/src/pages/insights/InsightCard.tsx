import { BellOff, Check, RotateCcw, X } from 'lucide-react';
import type { Insight } from '../../api/analytics.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { formatMoney } from '../../ui/numbers.ts';
import styles from './Insights.module.css';
import { type InsightAction, KIND_LABELS, STATE_VIEW, actionsFor, stateLine } from './insightState.ts';
import { SEVERITY_VIEW } from './severity.ts';

const ICONS = { resolved: Check, snoozed: BellOff, dismissed: X, open: RotateCcw } as const;
const LABELS: Record<InsightAction, string> = { resolved: 'Resolve', snoozed: 'Snooze', dismissed: 'Dismiss', open: 'Reopen' };

/** One insight: what was found, the evidence, what acting on it saves, and what was decided about it. */
export function InsightCard({ insight, admin, onAction }: { insight: Insight; admin: boolean; onAction: (action: InsightAction) => void }) {
  const headingId = `insight-${insight.insightId}-title`;
  const state = stateLine(insight);
  return (
    <article id={`insight-${insight.insightId}`} className={`${styles.card} ${styles[insight.severity]}`} aria-labelledby={headingId}>
      <div className={styles.main}>
        <div className={styles.badges}>
          <Badge tone={SEVERITY_VIEW[insight.severity].tone} dot>
            {SEVERITY_VIEW[insight.severity].label}
            <span className="visually-hidden"> severity</span>
          </Badge>
          <Badge>{KIND_LABELS[insight.kind] ?? insight.kind}</Badge>
          {insight.state !== 'open' ? <Badge tone={STATE_VIEW[insight.state].tone}>{STATE_VIEW[insight.state].label}</Badge> : null}
        </div>
        <h2 id={headingId} className={styles.title}>
          {insight.title}
        </h2>
        <p className={styles.context}>
          {insight.app ? `${insight.app.name} · ` : ''}
          {insight.subject.name} · first seen{' '}
          <time dateTime={insight.firstSeenAt} title={formatDateTime(insight.firstSeenAt)}>
            {formatRelative(insight.firstSeenAt)}
          </time>
        </p>
        <p className={styles.summary}>{insight.summary}</p>
        {insight.evidence.length > 0 ? (
          <dl className={styles.evidence} aria-label="Evidence">
            {insight.evidence.map((e) => (
              <div key={e.label} className={styles.evidenceItem}>
                <dt>{e.label}</dt>
                <dd>{e.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        {state || insight.stateNote ? (
          <p className={styles.stateNote}>
            {state}
            {insight.stateChangedAt ? ` · ${formatRelative(insight.stateChangedAt)}` : ''}
            {insight.stateNote ? <q className={styles.quote}>{insight.stateNote}</q> : null}
          </p>
        ) : null}
      </div>
      <div className={styles.side}>
        <div className={styles.saving}>
          {insight.estimatedMonthlySaving ? (
            <>
              <span className={styles.savingValue}>{formatMoney(insight.estimatedMonthlySaving)}</span>
              <span className={styles.savingLabel}>saved a month</span>
            </>
          ) : (
            <span className={styles.savingLabel}>No money involved</span>
          )}
        </div>
        {admin ? (
          <div className={styles.actions}>
            {actionsFor(insight.state).map((action) => {
              const Icon = ICONS[action];
              return (
                <Button
                  key={action}
                  size="sm"
                  variant={action === 'resolved' || action === 'open' ? 'primary' : 'secondary'}
                  icon={<Icon size={15} aria-hidden="true" />}
                  aria-label={`${LABELS[action]}: ${insight.title}`}
                  onClick={() => onAction(action)}
                >
                  {LABELS[action]}
                </Button>
              );
            })}
          </div>
        ) : null}
      </div>
    </article>
  );
}
