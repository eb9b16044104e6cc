import { z } from 'zod';
import { Id, Timestamp } from './common.ts';
import { ConnectionStatus, ProviderSlug } from './connections.ts';

/**
 * The analytics API: seats vs. active people, usage levels, feature adoption, spend, cloud utilization,
 * the people directory and insights. Every route is under `/api/orgs/:orgId/analytics/` and scoped to that
 * organization; `member` routes are readable by every member, `admin` routes change state (admin or owner).
 * Metric definitions: docs/metrics.md.
 *
 * Conventions shared by every endpoint:
 * - An **app** is one connection (`appId` = the connection's id): a Bitbucket workspace set or a
 *   DigitalOcean team. Bitbucket's utilization is about people (seats, activity); DigitalOcean has no
 *   team-members API, so its utilization is about resources and money.
 * - **Days** are UTC calendar days `YYYY-MM-DD`; **months** are `YYYY-MM`; **weeks** are named by their
 *   Monday (`YYYY-MM-DD`).
 * - **Money** is a decimal string in US dollars with two decimals (`"1234.50"`), never a float: add it up
 *   with a decimal library, not with `Number`.
 * - **Ratios** (utilization, shares) are numbers 0..1, `null` when the denominator is 0 or unknown.
 * - **Lists** take `limit` (1..500, default 50) and `offset` (default 0) and answer
 *   `{ items, total, limit, offset, nextOffset }` (`nextOffset` null on the last page). They filter by
 *   date range with `from` / `to` (`YYYY-MM-DD`, inclusive; what the range applies to is said per list).
 * - **CSV export**: every list also answers `?format=csv` with `text/csv; charset=utf-8` and a
 *   `content-disposition: attachment; filename="<list>-<from>-<to>.csv"` header. The CSV holds every row
 *   matching the filters (limit/offset are ignored, at most 100,000 rows) with a header line; its columns
 *   are the item's fields in the order below, nested objects flattened with dots (`app.name`), lists and
 *   records written as `key=value; key=value`, money as the decimal string, empty cells for null.
 * - `window` (`7`, `30` or `90`, default `30`) is the activity window in days, ending today (UTC).
 * - Activity comes from commits, pull requests, reviews, pipelines and deployments (Bitbucket) and from
 *   resources running (DigitalOcean): it sees developer tools that SSO last-login figures miss.
 */

// ---------------------------------------------------------------------------------------------- shared

export const Day = z.iso.date();
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM.');
export const Money = z.string().regex(/^-?\d+\.\d{2}$/, 'Use a decimal amount with two decimals, e.g. 12.50.');
export type Money = z.infer<typeof Money>;
const Ratio = z.number().min(0).nullable();

export const ActivityWindow = z.enum(['7', '30', '90']);
export type ActivityWindow = z.infer<typeof ActivityWindow>;
export const ExportFormat = z.enum(['json', 'csv']);

/** Query of every list: paging, date range, export format. */
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  from: Day.optional(),
  to: Day.optional(),
  format: ExportFormat.default('json'),
});
export type ListQuery = z.infer<typeof ListQuery>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int(), nextOffset: z.number().int().nullable() });

export const AppParams = z.object({ orgId: Id, appId: Id });
export const PersonParams = z.object({ orgId: Id, personId: Id });
export const InsightParams = z.object({ orgId: Id, insightId: Id });
export const ResourceParams = z.object({ orgId: Id, resourceId: z.string().min(1).max(200) });

/**
 * Usage level of one person in one app (the words SaaS-management products use):
 * engaged = activity in the last 30 days using more than the basic features; few_features = activity in the
 * last 30 days with only basic features (a downgrade candidate); lapsing = activity within the inactivity threshold
 * but not in 30 days; inactive = no activity within the app's inactivity threshold (default 60 days);
 * never_active = a seat with no activity ever seen.
 */
export const UsageLevel = z.enum(['engaged', 'few_features', 'lapsing', 'inactive', 'never_active']);
export type UsageLevel = z.infer<typeof UsageLevel>;
export const UsageLevelCounts = z.object({ engaged: z.number().int(), few_features: z.number().int(), lapsing: z.number().int(), inactive: z.number().int(), never_active: z.number().int() });

/** What an app's seat count is based on: the provider's member list, the admin's override, or nothing known. */
export const SeatSource = z.enum(['provider', 'override', 'none']);

/** Where a spend figure comes from: an issued invoice, the running month's preview, or seats × price per seat. */
export const SpendSource = z.enum(['invoice', 'preview', 'seats']);

export const AppRef = z.object({ appId: Id, provider: ProviderSlug, name: z.string() });

// ---------------------------------------------------------------------------------------------- settings

/** Admin-entered facts the providers' APIs do not give. */
export const AppSettings = z.object({
  planName: z.string().nullable(),
  /** Per seat and month; Bitbucket exposes no plan or billing API, so its spend is seats × this. */
  pricePerSeat: Money.nullable(),
  /** Used instead of the provider's member count when set (or where the API gives none). */
  seatCountOverride: z.number().int().min(0).nullable(),
  renewalDate: Day.nullable(),
  /** Yearly contract value, for the renewals list. */
  contractValue: Money.nullable(),
  /** Days without activity after which a seat is `inactive` (default 60). */
  inactivityThresholdDays: z.number().int().min(7).max(365),
  updatedAt: Timestamp.nullable(),
  updatedBy: z.string().nullable(),
});
export type AppSettings = z.infer<typeof AppSettings>;
// GET /api/orgs/:orgId/analytics/apps/:appId/settings (member) -> AppSettings
// PUT /api/orgs/:orgId/analytics/apps/:appId/settings (admin) -> AppSettings; omitted fields keep their value,
// null clears one. Recomputes the app's figures and insights at once.
export const UpdateAppSettingsRequest = z.object({
  planName: z.string().trim().max(120).nullable().optional(),
  pricePerSeat: Money.nullable().optional(),
  seatCountOverride: z.number().int().min(0).max(1_000_000).nullable().optional(),
  renewalDate: Day.nullable().optional(),
  contractValue: Money.nullable().optional(),
  inactivityThresholdDays: z.number().int().min(7).max(365).optional(),
});

// ---------------------------------------------------------------------------------------------- apps

export const AppSummary = z.object({
  appId: Id,
  provider: ProviderSlug,
  /** The workspace or team name, else the provider's name. */
  name: z.string(),
  connectionStatus: ConnectionStatus,
  /** True for people-based apps (Bitbucket): seats and activity are about people. */
  peopleBased: z.boolean(),
  planName: z.string().nullable(),
  seats: z.number().int().nullable(),
  seatSource: SeatSource,
  /** Seats (accounts) with activity in the window. */
  active: z.number().int(),
  /** seats − active (never below 0); null when seats are unknown. */
  inactiveSeats: z.number().int().nullable(),
  /** active ÷ seats. */
  utilization: Ratio,
  usageLevels: UsageLevelCounts,
  /** DigitalOcean: resources alive now; Bitbucket: 0. */
  resources: z.number().int(),
  spendMonthToDate: Money,
  spendLastMonth: Money,
  pricePerSeat: Money.nullable(),
  renewalDate: Day.nullable(),
  lastSyncAt: Timestamp.nullable(),
  lastSyncStatus: z.enum(['running', 'succeeded', 'failed', 'paused']).nullable(),
  /** When the figures were last recomputed (after a sync or a settings change). */
  computedAt: Timestamp.nullable(),
});
export type AppSummary = z.infer<typeof AppSummary>;

// GET /api/orgs/:orgId/analytics/apps?window&provider&from&to&limit&offset&format (member)
// Every connected app with its seats, activity and spend. from/to: unused (the list is as of today).
export const AppsQuery = ListQuery.extend({ window: ActivityWindow.default('30'), provider: ProviderSlug.optional() });
export const AppList = page(AppSummary);

/** Active accounts on each day, counted over the trailing 7, 30 and 90 days ending that day. */
export const ActivePoint = z.object({ day: Day, active7: z.number().int(), active30: z.number().int(), active90: z.number().int() });

/** One feature of one app: how many people (or resources) used it, per week. */
export const FeatureAdoption = z.object({
  appId: Id,
  provider: ProviderSlug,
  /** Stable key: `commit`, `pull_request.opened`, `pull_request.reviewed`, `pipeline.run`, `deployment`, `issue`, `droplet`, `volume`, ... */
  feature: z.string(),
  label: z.string(),
  /** `people` for Bitbucket features, `resources` for DigitalOcean ones. */
  unit: z.enum(['people', 'resources']),
  /** A basic feature does not by itself make a person `engaged` (e.g. commits alone). */
  basic: z.boolean(),
  /** People (resources) using it in the window. */
  users: z.number().int(),
  /** users ÷ seats (people-based apps), else null. */
  adoption: Ratio,
  /** Sum of the feature's counts in the window (commits, runs, resource-days). */
  count: z.number().int(),
  weekly: z.array(z.object({ week: Day, users: z.number().int(), count: z.number().int() })),
});
export type FeatureAdoption = z.infer<typeof FeatureAdoption>;

export const CostBreakdown = z.object({ key: z.string(), resources: z.number().int(), monthlyCost: Money });
export const InvoiceMonth = z.object({
  month: Month,
  total: Money,
  source: SpendSource,
  byProduct: z.array(z.object({ product: z.string(), amount: Money })),
});

// GET /api/orgs/:orgId/analytics/apps/:appId?window&from&to (member)
// One app's page. from/to bound the series (default: the last 90 days, invoices: the last 12 months).
export const AppDetailQuery = z.object({ window: ActivityWindow.default('30'), from: Day.optional(), to: Day.optional() });
export const AppDetail = z.object({
  app: AppSummary,
  settings: AppSettings,
  activeOverTime: z.array(ActivePoint),
  features: z.array(FeatureAdoption),
  /** DigitalOcean: resources alive now by type, project and region with their monthly cost; empty for Bitbucket. */
  resourcesByType: z.array(CostBreakdown),
  resourcesByProject: z.array(CostBreakdown),
  resourcesByRegion: z.array(CostBreakdown),
  /** Spend per month by product (DigitalOcean invoices) or seats × price (Bitbucket: product `seats`). */
  invoices: z.array(InvoiceMonth),
  /** Where the activity figures come from, to show beside them (the SSO note). */
  activityNote: z.string(),
});
export type AppDetail = z.infer<typeof AppDetail>;

/** A row of an app's members table (people-based apps): one app account with its activity. */
export const AppMember = z.object({
  accountId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  nickname: z.string().nullable(),
  /** Workspace permission: `owner`, `collaborator`, `member`; null for accounts only seen as commit authors. */
  role: z.string().nullable(),
  /** False for accounts not (or no longer) in the member list: commit authors, departed members. */
  seat: z.boolean(),
  departed: z.boolean(),
  personId: Id.nullable(),
  personName: z.string().nullable(),
  firstSeenAt: Timestamp,
  lastActivityDay: Day.nullable(),
  /** Bitbucket's own `last_accessed` (a web login), shown beside activity for comparison. */
  lastAccessedAt: Timestamp.nullable(),
  level: UsageLevel,
  /** Days with any activity in the window. */
  activeDays: z.number().int(),
  /** Feature -> count in the window. */
  featureCounts: z.record(z.string(), z.number().int()),
});
export type AppMember = z.infer<typeof AppMember>;
// GET /api/orgs/:orgId/analytics/apps/:appId/members?window&level&q&seat&from&to&limit&offset&format (member)
// from/to: featureCounts and activeDays over that range instead of the window. Sorted by last activity, newest first.
export const AppMembersQuery = ListQuery.extend({
  window: ActivityWindow.default('30'),
  level: UsageLevel.optional(),
  /** Matches name, email or nickname. */
  q: z.string().trim().max(200).optional(),
  seat: z.enum(['true', 'false']).optional(),
});
export const AppMemberList = page(AppMember);

// GET /api/orgs/:orgId/analytics/apps/:appId/invoices?from&to&limit&offset&format (member)
// Spend lines of the app by month and product, newest month first. from/to: months overlapping the range.
export const InvoiceLine = z.object({ month: Month, product: z.string(), project: z.string().nullable(), amount: Money, source: SpendSource });
export const InvoiceLineList = page(InvoiceLine);

// ---------------------------------------------------------------------------------------------- features

// GET /api/orgs/:orgId/analytics/features?appId&window&from&to&limit&offset&format (member)
// Feature adoption of every app (or one), with the weekly trend. from/to bound the weeks (default 12 weeks).
export const FeaturesQuery = ListQuery.extend({ window: ActivityWindow.default('30'), appId: Id.optional() });
export const FeatureList = page(FeatureAdoption);

// ---------------------------------------------------------------------------------------------- people

/**
 * How an app account came to belong to a person: `email` (the provider verified the address, linked
 * automatically), `manual` (an admin linked it), `confirmed` (an admin confirmed a proposal), `own` (no
 * match: the account is a person of its own). Admin decisions survive every later sync.
 */
export const LinkMethod = z.enum(['email', 'manual', 'confirmed', 'own']);

/**
 * active: activity within the inactivity threshold in some app; inactive: seats but no recent activity;
 * never_seen: no activity ever in any app; departed: no longer a member of any app (left every member list).
 */
export const PersonStatus = z.enum(['active', 'inactive', 'never_seen', 'departed']);

export const LinkedAccount = z.object({
  app: AppRef,
  accountId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  nickname: z.string().nullable(),
  role: z.string().nullable(),
  seat: z.boolean(),
  departed: z.boolean(),
  method: LinkMethod,
  /** 1 for email and admin links; the proposal's confidence for confirmed ones. */
  confidence: z.number().min(0).max(1),
  lastActivityDay: Day.nullable(),
  level: UsageLevel,
});

/** A suggested link of an account to a person, by name or nickname, waiting for an admin. */
export const LinkProposal = z.object({
  person: z.object({ personId: Id, displayName: z.string() }),
  app: AppRef,
  accountId: z.string(),
  accountName: z.string().nullable(),
  accountEmail: z.string().nullable(),
  accountNickname: z.string().nullable(),
  /** 0..1: 0.9 same unverified email, 0.8 same full name, 0.6 nickname matches the email's local part or the name. */
  confidence: z.number().min(0).max(1),
  reason: z.string(),
});
export type LinkProposal = z.infer<typeof LinkProposal>;

export const PersonRow = z.object({
  personId: Id,
  displayName: z.string(),
  primaryEmail: z.string().nullable(),
  status: PersonStatus,
  lastActivityDay: Day.nullable(),
  /** The apps the person has an account in, with their level there. */
  apps: z.array(z.object({ appId: Id, provider: ProviderSlug, level: UsageLevel })),
  accounts: z.number().int(),
  /** Open proposals to link more accounts to this person. */
  proposals: z.number().int(),
  /** The lowest confidence among the person's links (1 when every link is by email or by an admin). */
  linkConfidence: z.number().min(0).max(1),
});
export type PersonRow = z.infer<typeof PersonRow>;

// GET /api/orgs/:orgId/analytics/people?q&status&appId&from&to&limit&offset&format (member)
// The org's people directory, sorted by name. from/to: people with activity in that range.
export const PeopleQuery = ListQuery.extend({
  q: z.string().trim().max(200).optional(),
  status: PersonStatus.optional(),
  appId: Id.optional(),
});
export const PersonList = page(PersonRow);

// GET /api/orgs/:orgId/analytics/people/:personId?from&to (member)
// A person's page: linked accounts, open proposals, and their activity across apps per day
// (from/to bound the timeline; default the last 90 days, at most 366 days).
export const PersonDetailQuery = z.object({ from: Day.optional(), to: Day.optional() });
export const PersonDetail = z.object({
  person: PersonRow,
  accounts: z.array(LinkedAccount),
  proposals: z.array(LinkProposal),
  timeline: z.array(z.object({ day: Day, appId: Id, feature: z.string(), count: z.number().int() })),
  activityNote: z.string(),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

// GET /api/orgs/:orgId/analytics/people/proposals?appId&minConfidence&limit&offset&format (member)
// Every open link proposal, highest confidence first. from/to: unused.
export const ProposalsQuery = ListQuery.extend({ appId: Id.optional(), minConfidence: z.coerce.number().min(0).max(1).optional() });
export const ProposalList = page(LinkProposal);

/** Names one app account. */
export const AccountRef = z.object({ appId: Id, accountId: z.string().min(1).max(500) });
// POST /api/orgs/:orgId/analytics/people/:personId/link (admin) body AccountRef -> PersonDetail
// Links the account to this person (moving it from whoever had it); kept across syncs.
// POST /api/orgs/:orgId/analytics/people/:personId/unlink (admin) body AccountRef -> PersonDetail
// Takes the account away from this person: it becomes a person of its own, never auto-linked back.
// POST /api/orgs/:orgId/analytics/people/:personId/confirm (admin) body AccountRef -> PersonDetail
// Confirms a proposal to link that account to this person.
// POST /api/orgs/:orgId/analytics/people/:personId/reject (admin) body AccountRef -> PersonDetail
// Rejects a proposal; it is not proposed again.
// PATCH /api/orgs/:orgId/analytics/people/:personId (admin) body UpdatePersonRequest -> PersonDetail
export const UpdatePersonRequest = z.object({ displayName: z.string().trim().min(1).max(200).optional(), primaryEmail: z.string().trim().toLowerCase().email().nullable().optional() });

// ---------------------------------------------------------------------------------------------- spend

export const SpendChange = z.object({ amount: Money, /** vs. last month, null when last month was 0. */ ratio: z.number().nullable() });

// GET /api/orgs/:orgId/analytics/spend?appId&from&to (member)
// Spend summary and monthly series (from/to: months overlapping the range, default the last 12 months).
export const SpendQuery = z.object({ appId: Id.optional(), from: Day.optional(), to: Day.optional() });
export const SpendSummary = z.object({
  currency: z.literal('USD'),
  monthToDate: Money,
  /** Month-to-date scaled to the whole month: DigitalOcean's running preview by elapsed days, seats × price as is. */
  forecastMonthEnd: Money,
  lastMonth: Money,
  /** Forecast vs. last month. */
  changeVsLastMonth: SpendChange,
  /** This month's forecast for people-based apps ÷ the people active in them in the last 30 days (each once); null when none. */
  costPerActiveUser: Money.nullable(),
  byMonth: z.array(z.object({ month: Month, amount: Money, byApp: z.array(z.object({ appId: Id, amount: Money })) })),
  byApp: z.array(z.object({ app: AppRef, monthToDate: Money, forecastMonthEnd: Money, lastMonth: Money, change: SpendChange, costPerActiveUser: Money.nullable() })),
  /** Last 12 months in the range, by product and by project (DigitalOcean line items; Bitbucket `seats`). */
  byProduct: z.array(z.object({ product: z.string(), amount: Money })),
  byProject: z.array(z.object({ project: z.string(), amount: Money })),
});
export type SpendSummary = z.infer<typeof SpendSummary>;

// GET /api/orgs/:orgId/analytics/spend/lines?appId&groupBy&from&to&limit&offset&format (member)
// Spend rows grouped by month plus the chosen dimension, newest month first, for tables and CSV.
export const SpendLinesQuery = ListQuery.extend({ appId: Id.optional(), groupBy: z.enum(['app', 'product', 'project']).default('product') });
export const SpendLine = z.object({ month: Month, app: AppRef, key: z.string(), amount: Money, source: SpendSource });
export const SpendLineList = page(SpendLine);

// ---------------------------------------------------------------------------------------------- resources

/** One DigitalOcean resource with its cost and usage (`resourceId` is `<type>:<provider id>`, e.g. `droplet:123`). */
export const Resource = z.object({
  resourceId: z.string(),
  app: AppRef,
  /** `droplet`, `volume`, `snapshot`, `database`, `app`, `kubernetes`, `load_balancer`, `firewall`, `spaces`, `cdn`. */
  type: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  project: z.string().nullable(),
  size: z.string().nullable(),
  createdAt: Timestamp.nullable(),
  deletedAt: Timestamp.nullable(),
  /** The latest full month's invoiced amount for the resource, else its list price per month. */
  monthlyCost: Money.nullable(),
  costSource: z.enum(['invoice', 'list_price']).nullable(),
  /** Over `days` (14 or 30) of monitoring, droplets only; null where there are no samples. */
  usage: z.object({
    days: z.number().int(),
    sampledDays: z.number().int(),
    cpuAvg: z.number().nullable(),
    cpuP95: z.number().nullable(),
    bandwidthBytes: z.number().nullable(),
    memoryUsedAvg: z.number().nullable(),
  }),
  idle: z.boolean(),
  /** Droplets: covered by no Cloud Firewall (open to the internet). Volumes: attached to nothing. */
  flags: z.array(z.enum(['idle', 'no_firewall', 'unattached', 'old_snapshot'])),
});
export type Resource = z.infer<typeof Resource>;

// GET /api/orgs/:orgId/analytics/resources?appId&type&project&region&flag&days&from&to&limit&offset&format (member)
// Cloud utilization: every resource with cost and usage, costliest first. from/to: resources alive in the range.
export const ResourcesQuery = ListQuery.extend({
  appId: Id.optional(),
  type: z.string().max(40).optional(),
  project: z.string().max(200).optional(),
  region: z.string().max(40).optional(),
  flag: z.enum(['idle', 'no_firewall', 'unattached', 'old_snapshot']).optional(),
  days: z.enum(['14', '30']).default('14'),
});
export const ResourceList = page(Resource);

// GET /api/orgs/:orgId/analytics/resources/:resourceId?from&to (member)
// One resource with its daily usage (default the last 30 days) and monthly cost series.
export const ResourceDetailQuery = z.object({ from: Day.optional(), to: Day.optional(), days: z.enum(['14', '30']).default('14') });
export const ResourceDetail = z.object({
  resource: Resource,
  daily: z.array(z.object({ day: Day, cpuAvg: z.number().nullable(), cpuP95: z.number().nullable(), bandwidthBytes: z.number().nullable(), memoryUsedAvg: z.number().nullable() })),
  monthly: z.array(z.object({ month: Month, amount: Money })),
});

// ---------------------------------------------------------------------------------------------- insights

export const InsightKind = z.enum([
  'inactive_seats',
  'idle_droplet',
  'unattached_volume',
  'old_snapshot',
  'droplet_without_firewall',
  'member_without_two_step',
  'unused_admin',
  'spend_anomaly',
  'connection_needs_reconnect',
  'sync_failed',
  'provider_health',
]);
export type InsightKind = z.infer<typeof InsightKind>;
export const InsightState = z.enum(['open', 'dismissed', 'snoozed', 'resolved']);
export const Severity = z.enum(['high', 'medium', 'low']);

export const Insight = z.object({
  /** Stays the same across recomputations while the insight's subject is the same. */
  insightId: Id,
  kind: InsightKind,
  severity: Severity,
  title: z.string(),
  /** One or two sentences: what was found and what to do. */
  summary: z.string(),
  app: AppRef.nullable(),
  subject: z.object({ type: z.string(), id: z.string(), name: z.string() }),
  /** The facts behind it, as label/value pairs to show (e.g. "CPU p95 over 14 days" -> "1.2 %"). */
  evidence: z.array(z.object({ label: z.string(), value: z.string() })),
  /** What acting on it would save per month; null where no money is involved. */
  estimatedMonthlySaving: Money.nullable(),
  state: InsightState,
  stateNote: z.string().nullable(),
  stateChangedBy: z.string().nullable(),
  stateChangedAt: Timestamp.nullable(),
  snoozedUntil: Day.nullable(),
  /** False once the condition no longer holds at the latest recomputation (it is then `resolved`). */
  current: z.boolean(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
});
export type Insight = z.infer<typeof Insight>;

// GET /api/orgs/:orgId/analytics/insights?state&kind&severity&appId&from&to&limit&offset&format (member)
// Insights, open ones first by saving then severity. state defaults to `open` (snoozed ones whose date
// passed count as open); `all` lists every state. from/to: insights seen (lastSeenAt) in the range.
export const InsightsQuery = ListQuery.extend({
  state: z.enum(['open', 'dismissed', 'snoozed', 'resolved', 'all']).default('open'),
  kind: InsightKind.optional(),
  severity: Severity.optional(),
  appId: Id.optional(),
});
export const InsightList = page(Insight).extend({ totalMonthlySaving: Money });

// GET /api/orgs/:orgId/analytics/insights/:insightId (member) -> Insight
// POST /api/orgs/:orgId/analytics/insights/:insightId/state (admin) body InsightStateRequest -> Insight
// Dismiss (not useful), snooze until a day, resolve (done), or reopen, with a note kept with the insight.
export const InsightStateRequest = z.object({
  state: InsightState,
  note: z.string().trim().max(2000).optional(),
  /** Required for `snoozed`: a day after today. */
  snoozeUntil: Day.optional(),
});

// ---------------------------------------------------------------------------------------------- renewals

export const Renewal = z.object({
  app: AppRef,
  renewalDate: Day,
  daysLeft: z.number().int(),
  contractValue: Money.nullable(),
  planName: z.string().nullable(),
  seats: z.number().int().nullable(),
  active: z.number().int(),
  utilization: Ratio,
  /** Seats inactive beyond the app's threshold (never-active ones included): what could be cut before renewing. */
  seatsToCut: z.number().int(),
  /** seatsToCut × price per seat × 12; null without a price. */
  yearlySaving: Money.nullable(),
});
// GET /api/orgs/:orgId/analytics/renewals?days&from&to&limit&offset&format (member)
// "Review before renewal": apps renewing within `days` (default 90) from today, soonest first. from/to
// replace that range when given.
export const RenewalsQuery = ListQuery.extend({ days: z.coerce.number().int().min(1).max(730).default(90) });
export const RenewalList = page(Renewal);

// ---------------------------------------------------------------------------------------------- overview

// GET /api/orgs/:orgId/analytics/overview?window (member)
// The landing figures across every app.
export const OverviewQuery = z.object({ window: ActivityWindow.default('30') });
export const Overview = z.object({
  window: z.number().int(),
  apps: z.number().int(),
  people: z.number().int(),
  /** Seats of people-based apps with a known seat count. */
  seats: z.number().int(),
  active: z.number().int(),
  inactiveSeats: z.number().int(),
  utilization: Ratio,
  usageLevels: UsageLevelCounts,
  spend: z.object({ monthToDate: Money, forecastMonthEnd: Money, lastMonth: Money, changeVsLastMonth: SpendChange, costPerActiveUser: Money.nullable() }),
  insights: z.object({ open: z.number().int(), high: z.number().int(), estimatedMonthlySaving: Money }),
  /** The open insights with the largest saving (at most 5). */
  topInsights: z.array(Insight),
  /** Apps renewing in the next 90 days. */
  renewalsDue: z.number().int(),
  appSummaries: z.array(AppSummary),
  computedAt: Timestamp.nullable(),
  activityNote: z.string(),
});
export type Overview = z.infer<typeof Overview>;

/** Shown wherever activity figures are (docs/metrics.md). */
export const ACTIVITY_NOTE =
  'Activity counts commits, pull requests, reviews, pipelines and deployments: it sees people who work in developer tools every day but rarely sign in through SSO, whom last-login figures miss.';

// POST /api/orgs/:orgId/analytics/recompute (admin) -> RecomputeResult
// Recomputes every app's rollups and insights now (they are also recomputed after each sync).
export const RecomputeResult = z.object({ apps: z.number().int(), durationMs: z.number().int(), computedAt: Timestamp });
