import { z } from 'zod';
import { Id, Timestamp } from './common.ts';
import { ConnectionStatus, ProviderSlug } from './connections.ts';

/** One sync of one connection, as recorded by the engine (src/sync/runs.ts). */
export const SyncRun = z.object({
  id: Id,
  connectionId: Id,
  provider: ProviderSlug,
  /** `schedule:activity`, `schedule:billing`, `manual`, `cli`, `resume`. */
  trigger: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'paused']),
  fullRefresh: z.boolean(),
  streams: z.array(z.string()),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  durationMs: z.number().int().nullable(),
  pages: z.number().int(),
  requests: z.number().int(),
  recordsAdded: z.number().int(),
  recordsUpdated: z.number().int(),
  recordsDeleted: z.number().int(),
  retries: z.number().int(),
  rateLimitWaits: z.number().int(),
  rateLimitWaitMs: z.number().int(),
  quarantined: z.number().int(),
  /** Parts left out on purpose, with the reason (e.g. a scope the grant lacks, an issue tracker that is off). */
  skipped: z.array(z.object({ stream: z.string(), partition: z.string(), reason: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;

// GET /api/orgs/:orgId/sync/runs?connectionId=&limit=&before= (member) -> newest first
export const SyncRunsQuery = z.object({
  connectionId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A run's startedAt: runs started before it (the next page). */
  before: Timestamp.optional(),
});
export const SyncRunList = z.object({ items: z.array(SyncRun), nextBefore: Timestamp.nullable() });

/** How often a connection syncs, and when next. */
export const SyncSchedule = z.object({
  activityEveryMinutes: z.number().int(),
  /** The daily streams: billing, and member and project lists. */
  billingEveryMinutes: z.number().int(),
  /** Null while the connection needs Reconnect (syncs are paused) or is disconnected. */
  nextActivityAt: Timestamp.nullable(),
  nextBillingAt: Timestamp.nullable(),
  paused: z.boolean(),
});

export const ConnectionSyncHealth = z.object({
  connectionId: Id,
  provider: ProviderSlug,
  /** The app's name as the analytics answers give it ("Bitbucket · acme"), so a page needs no other call to label it. */
  appName: z.string(),
  /** The connected account (a DigitalOcean team, a Bitbucket user), when known. */
  accountName: z.string().nullable(),
  status: ConnectionStatus,
  /** Why the connection needs Reconnect, in words. */
  statusReason: z.string().nullable(),
  schedule: SyncSchedule,
  running: SyncRun.nullable(),
  lastRun: SyncRun.nullable(),
  lastSucceededAt: Timestamp.nullable(),
  /** A sync is queued (Sync now or schedule) and not started yet. */
  queued: z.boolean(),
  /** Records quarantined in the last 30 days. */
  quarantined: z.number().int(),
});

export const ProviderHealthEvent = z.object({
  id: z.string(),
  provider: ProviderSlug,
  connectionId: Id.nullable(),
  /** e.g. `html_challenge`, `rate_limited`, `server_error`, `budget_exhausted`. */
  kind: z.string(),
  detail: z.string(),
  createdAt: Timestamp,
});

export const QuarantinedRecord = z.object({
  id: z.string(),
  connectionId: Id,
  stream: z.string(),
  externalId: z.string().nullable(),
  reason: z.string(),
  createdAt: Timestamp,
});

// GET /api/orgs/:orgId/sync/health (member)
export const SyncHealth = z.object({
  connections: z.array(ConnectionSyncHealth),
  /** The last 100 provider-health events of the organization's connections. */
  providerHealth: z.array(ProviderHealthEvent),
  /** The last 100 quarantined records. */
  quarantine: z.array(QuarantinedRecord),
});
export type SyncHealth = z.infer<typeof SyncHealth>;

// POST /api/orgs/:orgId/connections/:connectionId/sync (admin) -> 202; one sync per connection at a time.
export const SyncNowRequest = z.object({
  /** Read everything again, ignoring cursors (and detect deletions everywhere). */
  full: z.boolean().optional(),
  streams: z.array(z.string()).min(1).optional(),
});
export const SyncNowAccepted = z.object({
  /** False when a sync of this connection is already queued or running: that one will do. */
  queued: z.boolean(),
  message: z.string(),
});

// PUT /api/orgs/:orgId/connections/:connectionId/sync/schedule (admin)
export const SyncScheduleUpdate = z.object({
  activityEveryMinutes: z.number().int().min(15).max(7 * 24 * 60),
  billingEveryMinutes: z.number().int().min(60).max(7 * 24 * 60),
});
