import type { InsightKind } from '../../api/contracts/analytics.ts';
import { addDays, addMonths, daysBetween, monthStart } from '../dates.ts';
import { dec, money, sum } from '../money.ts';

/**
 * The insight rules, as pure functions of plain facts (docs/metrics.md, "Insights"). The key names the
 * finding's subject, so the same finding keeps its row, state and note across recomputations.
 */

export type Evidence = { label: string; value: string };
export type Finding = {
  key: string;
  kind: InsightKind;
  severity: 'high' | 'medium' | 'low';
  title: string;
  summary: string;
  subjectType: string;
  subjectId: string;
  subjectName: string;
  evidence: Evidence[];
  saving: string | null;
};

export type AppFacts = { id: string; name: string; pricePerSeat: string | null; thresholdDays: number };
export type SeatFacts = { accountId: string; name: string; seat: boolean; role: string | null; lastDay: string | null; twoStep: boolean | null };

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const usd = (m: string) => `$${m}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The last day a seat may have been active on and still count as idle for N days (never-active seats are idle). */
export const idleCutoff = (today: string, days: number): string => addDays(today, -(days - 1));

/** Seats with no activity within N days (never-active seats included). */
const idleSince = (seats: SeatFacts[], today: string, days: number) => {
  const cutoff = idleCutoff(today, days);
  return seats.filter((s) => s.lastDay === null || s.lastDay < cutoff);
};

/**
 * What the inactive-seats insight says about an app's seats: how many, how many idle within the app's
 * threshold and within 30/60/90 days, how many never active, and the first idle ones (least recently
 * active first). The recompute counts these in SQL (insights/generate.ts); seatSummary() is the same rule.
 */
export type SeatSummary = { seats: number; inactive: number; idle30: number; idle60: number; idle90: number; never: number; examples: Array<{ name: string; lastDay: string | null }> };

export function seatSummary(accounts: SeatFacts[], today: string, thresholdDays: number): SeatSummary {
  const seats = accounts.filter((s) => s.seat);
  const inactive = idleSince(seats, today, thresholdDays);
  return {
    seats: seats.length,
    inactive: inactive.length,
    idle30: idleSince(seats, today, 30).length,
    idle60: idleSince(seats, today, 60).length,
    idle90: idleSince(seats, today, 90).length,
    never: inactive.filter((s) => s.lastDay === null).length,
    examples: inactive.slice(0, 5).map((s) => ({ name: s.name, lastDay: s.lastDay })),
  };
}

/** One per app: seats with no activity within its inactivity threshold, what they cost, and who they are. */
export function inactiveSeats(app: AppFacts, accounts: SeatFacts[], today: string): Finding[] {
  return inactiveSeatsOf(app, seatSummary(accounts, today, app.thresholdDays));
}

export function inactiveSeatsOf(app: AppFacts, s: SeatSummary): Finding[] {
  if (!s.inactive) return [];
  const saving = app.pricePerSeat ? money(dec(app.pricePerSeat).times(s.inactive)) : null;
  const share = s.inactive / s.seats;
  const severity = (saving && dec(saving).gte(100)) || share >= 0.25 ? 'high' : saving ? 'medium' : 'low';
  return [
    {
      key: `inactive_seats:${app.id}`,
      kind: 'inactive_seats',
      severity,
      title: `${plural(s.inactive, 'seat')} in ${app.name} unused for ${app.thresholdDays}+ days`,
      summary: `${plural(s.inactive, 'member')} of ${s.seats} made no commit, pull request, review, pipeline or deployment in ${app.thresholdDays} days${s.never ? ` (${s.never} never)` : ''}. Remove them or move them to a cheaper role before the next bill.`,
      subjectType: 'app',
      subjectId: app.id,
      subjectName: app.name,
      evidence: [
        { label: 'Seats', value: String(s.seats) },
        { label: 'No activity in 30 days', value: String(s.idle30) },
        { label: 'No activity in 60 days', value: String(s.idle60) },
        { label: 'No activity in 90 days', value: String(s.idle90) },
        { label: 'Never active', value: String(s.never) },
        { label: 'Price per seat', value: app.pricePerSeat ? usd(app.pricePerSeat) : 'not entered (set it in the app settings)' },
        { label: 'Examples', value: s.examples.map((x) => `${x.name} (${x.lastDay ?? 'never'})`).join(', ') },
      ],
      saving,
    },
  ];
}

/** Workspace owners (admin rights) who did nothing in the workspace for 90 days: rights kept but unused. */
export function unusedAdmins(app: AppFacts, accounts: SeatFacts[], today: string): Finding[] {
  return idleSince(accounts.filter((s) => s.seat && s.role === 'owner'), today, 90).map((s) => ({
    key: `unused_admin:${app.id}:${s.accountId}`,
    kind: 'unused_admin' as const,
    severity: 'medium' as const,
    title: `${s.name} holds admin rights in ${app.name} but has not used the workspace in 90 days`,
    summary: 'An unused administrator account is a risk if its password leaks. Take away the owner permission or remove the member.',
    subjectType: 'account',
    subjectId: s.accountId,
    subjectName: s.name,
    evidence: [
      { label: 'Permission', value: 'owner' },
      { label: 'Last activity', value: s.lastDay ?? 'never' },
    ],
    saving: null,
  }));
}

/** Members whose records say two-step verification is off (Bitbucket shows it only where the API includes it). */
export function withoutTwoStep(app: AppFacts, accounts: SeatFacts[]): Finding[] {
  return accounts
    .filter((s) => s.seat && s.twoStep === false)
    .map((s) => ({
      key: `member_without_two_step:${app.id}:${s.accountId}`,
      kind: 'member_without_two_step' as const,
      severity: 'high' as const,
      title: `${s.name} has no two-step verification in ${app.name}`,
      summary: 'Ask them to turn on two-step verification, or require it for the workspace.',
      subjectType: 'account',
      subjectId: s.accountId,
      subjectName: s.name,
      evidence: [
        { label: 'Two-step verification', value: 'off' },
        { label: 'Permission', value: s.role ?? 'unknown' },
      ],
      saving: null,
    }));
}

export type ResourceFacts = {
  resourceId: string;
  type: string;
  name: string;
  flags: string[];
  monthlyCost: string | null;
  createdAt: string | null;
  cpuP95: number | null;
  sampledDays: number;
  region: string | null;
};

/** Idle droplets, unattached volumes, old snapshots (money) and droplets no Cloud Firewall covers (risk). */
export function resourceFindings(app: AppFacts, resources: ResourceFacts[], today: string): Finding[] {
  const out: Finding[] = [];
  const cost = (r: ResourceFacts) => (r.monthlyCost ? usd(r.monthlyCost) : 'unknown');
  const base = (r: ResourceFacts) => ({ subjectType: r.type, subjectId: r.resourceId, subjectName: r.name });
  for (const r of resources) {
    if (r.flags.includes('idle'))
      out.push({
        key: `idle_droplet:${app.id}:${r.resourceId}`, kind: 'idle_droplet', severity: r.monthlyCost && dec(r.monthlyCost).gte(50) ? 'high' : 'medium', ...base(r),
        title: `Droplet ${r.name} is idle`,
        summary: `Its CPU stayed below 5 % on every one of the last ${r.sampledDays} days measured. Snapshot and destroy it, or resize it down.`,
        evidence: [
          { label: 'Highest daily CPU p95 (14 days)', value: r.cpuP95 === null ? 'no samples' : pct(r.cpuP95) },
          { label: 'Days measured', value: String(r.sampledDays) },
          { label: 'Monthly cost', value: cost(r) },
          { label: 'Region', value: r.region ?? 'unknown' },
        ],
        saving: r.monthlyCost,
      });
    if (r.flags.includes('unattached'))
      out.push({
        key: `unattached_volume:${app.id}:${r.resourceId}`, kind: 'unattached_volume', severity: r.monthlyCost && dec(r.monthlyCost).gte(10) ? 'medium' : 'low', ...base(r),
        title: `Volume ${r.name} is attached to no droplet`,
        summary: 'DigitalOcean bills a volume whether or not it is attached. Snapshot it if its data matters, then delete it.',
        evidence: [
          { label: 'Attached to', value: 'nothing' },
          { label: 'Monthly cost', value: cost(r) },
        ],
        saving: r.monthlyCost,
      });
    if (r.flags.includes('old_snapshot'))
      out.push({
        key: `old_snapshot:${app.id}:${r.resourceId}`, kind: 'old_snapshot', severity: 'low', ...base(r),
        title: `Snapshot ${r.name} is ${r.createdAt ? daysBetween(r.createdAt.slice(0, 10), today) : 'many'} days old`,
        summary: 'Old snapshots are billed every month. Delete it unless it is a backup you still need.',
        evidence: [
          { label: 'Created', value: r.createdAt?.slice(0, 10) ?? 'unknown' },
          { label: 'Monthly cost', value: cost(r) },
        ],
        saving: r.monthlyCost,
      });
    if (r.flags.includes('no_firewall'))
      out.push({
        key: `droplet_without_firewall:${app.id}:${r.resourceId}`, kind: 'droplet_without_firewall', severity: 'high', ...base(r),
        title: `Droplet ${r.name} is covered by no Cloud Firewall`,
        summary: 'DigitalOcean leaves a droplet open to the internet unless a Cloud Firewall covers it (by droplet or by tag). Add it to a firewall.',
        evidence: [{ label: 'Cloud Firewalls covering it', value: 'none' }],
        saving: null,
      });
  }
  return out;
}

export type MonthAmount = { month: string; product: string; amount: string };
/** A month is anomalous when it is ≥ 30 % and ≥ $20 above the average of up to three months before it. */
export const ANOMALY_RATIO = '1.3';
export const ANOMALY_MIN_EXCESS = '20';

/** The last complete month against its trend, as a whole and per product. */
export function spendAnomalies(app: AppFacts, lines: MonthAmount[], today: string): Finding[] {
  const month = addMonths(monthStart(today), -1).slice(0, 7);
  const previous = [1, 2, 3].map((n) => addMonths(`${month}-01`, -n).slice(0, 7));
  const series = (product: string | null) => (m: string) => sum(lines.filter((l) => l.month === m && (product === null || l.product === product)).map((l) => l.amount));
  const out: Finding[] = [];
  for (const product of [null, ...new Set(lines.filter((l) => l.month === month).map((l) => l.product))]) {
    const at = series(product);
    const before = previous.filter((m) => lines.some((l) => l.month === m && (product === null || l.product === product)));
    if (before.length < 2) continue;
    const trend = sum(before.map(at)).div(before.length);
    const now = at(month);
    const excess = now.minus(trend);
    if (!(now.gte(trend.times(ANOMALY_RATIO)) && excess.gte(ANOMALY_MIN_EXCESS))) continue;
    const what = product ?? 'total spend';
    out.push({
      key: `spend_anomaly:${app.id}:${month}:${product ?? '*'}`,
      kind: 'spend_anomaly',
      severity: excess.gte(500) ? 'high' : 'medium',
      title: `${app.name} ${what} jumped to $${money(now)} in ${month}`,
      summary: `That is $${money(excess)} above the average of the ${before.length} months before ($${money(trend)}). Check what was added.`,
      subjectType: product ? 'product' : 'app',
      subjectId: product ?? app.id,
      subjectName: product ?? app.name,
      evidence: [
        { label: month, value: usd(money(now)) },
        ...before.map((m) => ({ label: m, value: usd(money(at(m))) })),
        { label: 'Above trend', value: trend.isZero() ? 'new' : pct(excess.div(trend).toNumber()) },
      ],
      saving: money(excess),
    });
  }
  return out;
}

export type ConnectionFacts = {
  status: 'active' | 'needs_reconnect' | 'disconnected';
  statusReason: string | null;
  lastRun: { status: string; errorMessage: string | null; startedAt: string } | null;
  health: Array<{ kind: string; detail: string; count: number; last: string }>;
};

/** The connection itself: Reconnect needed, the last sync failed, the provider throttling or challenging Tally. */
export function connectionFindings(app: AppFacts, f: ConnectionFacts): Finding[] {
  const out: Finding[] = [];
  const base = { subjectType: 'connection', subjectId: app.id, subjectName: app.name, saving: null };
  if (f.status === 'needs_reconnect')
    out.push({ ...base, key: `connection_needs_reconnect:${app.id}`, kind: 'connection_needs_reconnect', severity: 'high', title: `${app.name} needs Reconnect`, summary: `${f.statusReason ?? 'The provider refused Tally’s access.'} Syncing is paused until an admin reconnects it on the Connections page.`, evidence: [{ label: 'Reason', value: f.statusReason ?? 'unknown' }] });
  if (f.lastRun?.status === 'failed' && f.status === 'active')
    out.push({ ...base, key: `sync_failed:${app.id}`, kind: 'sync_failed', severity: 'medium', title: `The last sync of ${app.name} failed`, summary: 'Figures may be out of date. See the sync runs for the error; Tally retries at the next scheduled sync.', evidence: [{ label: 'Started', value: f.lastRun.startedAt }, { label: 'Error', value: f.lastRun.errorMessage ?? 'unknown' }] });
  for (const h of f.health)
    out.push({
      ...base,
      key: `provider_health:${app.id}:${h.kind}`,
      kind: 'provider_health',
      severity: h.kind === 'html_challenge' ? 'medium' : 'low',
      title: h.kind === 'html_challenge' ? `${app.name} answered with a bot-challenge page` : h.kind === 'rate_limited' ? `${app.name} kept rate-limiting Tally` : `${app.name}: ${h.kind}`,
      summary: h.kind === 'rate_limited' ? 'The request budget ran out; syncs take longer. Fewer connections through the same OAuth app, or a quieter schedule, help.' : 'The provider (or a proxy in front of it) answered with a web page instead of data. It usually passes; if it persists, check the network path.',
      evidence: [
        { label: 'Times in the last 24 hours', value: String(h.count) },
        { label: 'Last', value: h.last },
        { label: 'Detail', value: h.detail },
      ],
    });
  return out;
}
