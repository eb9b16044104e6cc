import { sql } from 'kysely';
import type { ProviderSlug } from '../api/contracts/connections.ts';
import { announceNeedsReconnect, markNeedsReconnect } from '../connections/needs-reconnect.ts';
import type { AppContext } from '../context.ts';
import { ForbiddenError, HtmlInsteadOfJsonError, NotFoundError, TokenRejectedError } from '../http-client/errors.ts';
import { providerClient } from '../http-client/client.ts';
import { credentialsFor } from './credentials.ts';
import { firstUrl, nextUrl, recordsOf } from './pages.ts';
import { ensureStillActive, isConnectionNotActive } from './inactive.ts';
import { emptyCounters, finishRun, heartbeat, startRun, type RunCounters } from './runs.ts';
import { commitPage, completePass, loadCheckpoint, parentRecords, type PageRecord, type Quarantined } from './store.ts';
import { streamsFor } from './streams.ts';
import type { ParentRecord, StreamDefinition } from './types.ts';

export type SyncOptions = {
  trigger: string;
  /** Only these streams (their parents' stored records are used as they are). */
  streams?: string[];
  /** Ignore cursors: read everything again (and detect deletions everywhere). */
  full?: boolean;
  signal?: AbortSignal;
  /** After each stream's last partition ended, before the next stream starts; the engine waits for it. */
  afterStream?: (stream: string) => Promise<void>;
  /** After each committed page (the next page may already be on its way); the engine waits for it. */
  onProgress?: (p: SyncProgress) => void | Promise<void>;
  /** Tests and benchmarks: shorter backoff and timeouts, other stream sets. */
  startingDelayMs?: number;
  timeoutMs?: number;
  /** Longest wait a Retry-After may impose (default 2 minutes). */
  maxRetryAfterMs?: number;
  streamDefinitions?: StreamDefinition[];
  /** Partitions (children of different parents) read side by side; default PARTITION_CONCURRENCY. */
  concurrency?: number;
  /** Benchmarks against simulators with raised limits: multiplies Tally's request budgets (default 1). */
  budgetScale?: number;
  /**
   * The moment time windows (e.g. the last 14 whole days of metrics) are built from; default the wall
   * clock. Tests that compare two runs pass one moment so midnight cannot fall between them.
   */
  now?: () => Date;
};

/** Where a run stands: its counters, and which stream and partition (parent record) of how many it reads. */
export type SyncProgress = RunCounters & { stream: string; streamIndex: number; streamCount: number; partitionIndex: number; partitionCount: number };

export const PARTITION_CONCURRENCY = 4;

export type SyncResult = { runId: string | null; status: 'succeeded' | 'failed' | 'paused'; counters: RunCounters; error?: { code: string; message: string } };

/**
 * One sync of one connection: every stream in order (parents before children), each page validated,
 * upserted and checkpointed in one transaction. A stream that fails does not stop the others; the run
 * fails with the first error. A refused token after a refresh turns the connection to Reconnect needed.
 */
export async function runSync(ctx: AppContext, connectionId: string, options: SyncOptions): Promise<SyncResult> {
  const connection = await ctx.db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirstOrThrow();
  const counters = emptyCounters();
  if (connection.status !== 'active') {
    return { runId: null, status: 'paused', counters, error: { code: 'needs_reconnect', message: `The connection is ${connection.status.replace('_', ' ')}: syncing waits until it is reconnected.` } };
  }
  const provider = connection.provider as ProviderSlug;
  const all = options.streamDefinitions ?? streamsFor(provider, ctx.config);
  const selected = options.streams ? all.filter((s) => options.streams!.includes(s.name)) : all;
  const unknown = (options.streams ?? []).filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`Unknown stream(s) for ${provider}: ${unknown.join(', ')}. Streams: ${all.map((s) => s.name).join(', ')}`);
  const runId = await startRun(ctx.db, { organizationId: connection.organization_id, connectionId, trigger: options.trigger, fullRefresh: options.full ?? false, streams: selected.map((s) => s.name) });

  // The run's heartbeat tells other processes it is alive (runs.ts sweeps silent ones): after each
  // partition, and every 15 s within a long one or while a request waits for budget.
  let lastBeat = Date.now();
  const beat = async (force: boolean) => {
    if (!force && Date.now() - lastBeat < 15_000) return;
    lastBeat = Date.now();
    await heartbeat(ctx.db, runId, counters);
  };
  const creds = await credentialsFor(ctx, connection);
  const client = providerClient({
    ctx,
    connectionId,
    providerName: creds.providerName,
    auth: creds.auth,
    onRejected: creds.onRejected,
    budget: options.budgetScale ? (auth) => creds.budget(auth).map((rule) => ({ ...rule, limit: rule.limit * options.budgetScale! })) : creds.budget,
    stats: counters,
    keepAlive: () => beat(false),
    health: async (kind, detail) => {
      // Not once an admin disconnected it (its notes may just have been deleted with its data); `for key
      // share` waits for a disconnect under way and then sees it.
      await sql`
        insert into provider_health (provider, connection_id, kind, detail)
        select ${provider}, id, ${kind}, ${detail} from connections where id = ${connectionId} and status <> 'disconnected' for key share`.execute(ctx.db);
    },
    ...(options.startingDelayMs !== undefined ? { startingDelayMs: options.startingDelayMs } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: options.maxRetryAfterMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let firstError: { code: string; message: string } | undefined;
  const position = { streamIndex: 0, streamCount: selected.length, partitionIndex: 0, partitionCount: 1 };
  try {
    for (const [streamIndex, stream] of selected.entries()) {
      await ensureStillActive(ctx.db, connectionId);
      const partitions: Array<ParentRecord | undefined> = stream.parent ? await parentRecords(ctx.db, connectionId, stream.parent) : [undefined];
      Object.assign(position, { streamIndex, partitionIndex: 0, partitionCount: partitions.length });
      // Children of different parents are independent: a few are read side by side (the request budget
      // still spaces the requests), so a workspace of a thousand repositories is not read one at a time.
      let next = 0;
      let stopStream = false;
      let rejected: TokenRejectedError | undefined;
      let inactive: Error | undefined;
      const worker = async () => {
        while (!stopStream && next < partitions.length) {
          const parent = partitions[next++];
          if (options.signal?.aborted) throw new Error('The sync was stopped.');
          try {
            await syncPartition(ctx, { connection, runId, stream, parent, apiBaseUrl: creds.apiBaseUrl, counters, client, options, beat, position });
          } catch (error) {
            if (error instanceof ForbiddenError) {
              counters.skipped.push({ stream: stream.name, partition: parent?.externalId ?? '', reason: error.message });
              stopStream = true; // the grant lacks this scope: the other partitions would be refused too
            } else if (error instanceof NotFoundError && stream.parent) {
              counters.skipped.push({ stream: stream.name, partition: parent?.externalId ?? '', reason: stream.notFoundMeans ?? error.message });
            } else if (error instanceof TokenRejectedError) {
              rejected = error;
              stopStream = true;
            } else if (isConnectionNotActive(error)) {
              inactive = error; // the page was refused: the whole run stops
              stopStream = true;
            } else {
              firstError ??= { code: error instanceof HtmlInsteadOfJsonError ? 'provider_html' : 'stream_failed', message: `${stream.name}: ${(error as Error).message}` };
              ctx.log.warn({ connectionId, stream: stream.name, err: { message: (error as Error).message } }, 'stream failed');
              stopStream = true;
            }
          }
          position.partitionIndex++;
          await beat(!stream.parent);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency ?? PARTITION_CONCURRENCY, partitions.length) }, worker));
      if (rejected) throw rejected;
      if (inactive) throw inactive;
      await beat(true);
      await options.afterStream?.(stream.name);
    }
    // The last stream may have failed because the connection was disconnected meanwhile: say that.
    await ensureStillActive(ctx.db, connectionId);
  } catch (error) {
    if (error instanceof TokenRejectedError) {
      await refusedAfterRefresh(ctx, connectionId, error.message);
      firstError = { code: 'needs_reconnect', message: error.message };
    } else if (isConnectionNotActive(error)) {
      firstError = { code: 'connection_not_active', message: error.message };
    } else {
      firstError ??= { code: 'sync_failed', message: (error as Error).message };
    }
  }
  const status = firstError ? 'failed' : 'succeeded';
  await finishRun(ctx.db, runId, status, counters, firstError);
  return { runId, status, counters, ...(firstError ? { error: firstError } : {}) };
}

type PartitionJob = {
  connection: { id: string; organization_id: string };
  runId: string;
  stream: StreamDefinition;
  parent: ParentRecord | undefined;
  apiBaseUrl: string;
  counters: RunCounters;
  client: ReturnType<typeof providerClient>;
  options: SyncOptions;
  beat: (force: boolean) => Promise<void>;
  position: Omit<SyncProgress, keyof RunCounters | 'stream'>;
};

async function syncPartition(ctx: AppContext, job: PartitionJob): Promise<void> {
  const { stream, parent, counters, connection } = job;
  const partition = parent?.externalId ?? '';
  const saved = await loadCheckpoint(ctx.db, connection.id, stream.name, partition);
  if (parent && !saved.nextUrl && !job.options.full && skipUnchanged(stream, parent, saved.lastCompletePassAt ?? undefined)) return;
  const incremental = stream.incremental && !job.options.full ? stream.incremental : undefined;
  const since = incremental && saved.cursor ? lookBack(saved.cursor, incremental.lookbackMs) : undefined;
  const keyset = stream.incremental && !stream.incremental.newestFirst ? stream.incremental : undefined;
  // Resume a pass a crash interrupted, or start a new one.
  const checkpoint = saved.nextUrl ? { ...saved } : { ...saved, passStartedAt: new Date(), passCursor: null };
  // The lower bound the current request asked for (keyset paging moves it forward page by page).
  let askedFrom = saved.nextUrl ? (saved.passCursor ?? since) : since;
  let url: string | null = saved.nextUrl ?? firstUrl(job.apiBaseUrl, stream, parent, since, job.options.now?.() ?? new Date());
  let fetching: Promise<unknown> | null = null;
  while (url) {
    if (job.options.signal?.aborted) throw new Error('The sync was stopped; the next run resumes from the last saved page.');
    const body = await (fetching ?? job.client.getJson(url));
    fetching = null;
    const raw = recordsOf(stream, body, parent, url);
    const records: PageRecord[] = [];
    const quarantined: Quarantined[] = [];
    let olderThanSince = 0;
    for (const item of raw) {
      const parsed = stream.schema.safeParse(item);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const rawId = (item as { id?: unknown; uuid?: unknown } | null)?.id ?? (item as { uuid?: unknown } | null)?.uuid;
        quarantined.push({ externalId: rawId === undefined ? null : String(rawId), reason: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'does not match the schema'}`, data: item });
        continue;
      }
      const record = parsed.data;
      if (incremental && since && compareCursors(incremental.value(record), since) < 0) olderThanSince++;
      const cursorValue = stream.incremental ? stream.incremental.value(record) : undefined;
      if (cursorValue && (!checkpoint.passCursor || compareCursors(cursorValue, checkpoint.passCursor) > 0)) checkpoint.passCursor = cursorValue;
      const activity = stream.activity?.(record, parent) ?? [];
      const accounts = stream.accounts?.(record, parent) ?? [];
      if (stream.unstoredKeys) dropKeys(record, stream.unstoredKeys); // after activity and accounts read the whole record
      records.push({ externalId: stream.id(record), data: record, activity, accounts });
    }
    let next = nextUrl(stream, body, job.apiBaseUrl);
    // Newest first and this page already reaches below the cursor: nothing newer can follow.
    if (incremental?.newestFirst && since && olderThanSince > 0) next = null;
    if (next && keyset) {
      const newest = records.reduce<string | undefined>((max, r) => {
        const v = keyset.value(r.data);
        return max === undefined || compareCursors(v, max) > 0 ? v : max;
      }, undefined);
      // A page whose records all share one cursor value cannot move the bound: follow the page link then.
      if (newest !== undefined && (askedFrom === undefined || compareCursors(newest, askedFrom) > 0)) {
        next = firstUrl(job.apiBaseUrl, stream, parent, newest, job.options.now?.() ?? new Date());
        askedFrom = newest;
      }
    }
    checkpoint.nextUrl = next;
    // The next page is asked for while this one is saved; if saving fails, that answer is simply dropped.
    if (next) {
      fetching = job.client.getJson(next);
      fetching.catch(() => undefined);
    }
    const { added, updated } = await commitPage(ctx.db, {
      organizationId: connection.organization_id,
      connectionId: connection.id,
      runId: job.runId,
      stream: stream.name,
      partition,
      records,
      quarantined,
      checkpoint,
      rewriteUnchanged: job.options.full === true,
    });
    counters.pages++;
    counters.recordsAdded += added;
    counters.recordsUpdated += updated;
    counters.quarantined += quarantined.length;
    await job.options.onProgress?.({ ...counters, stream: stream.name, ...job.position });
    await job.beat(false);
    url = next;
  }
  counters.recordsDeleted += await completePass(ctx.db, { connectionId: connection.id, stream: stream.name, partition, checkpoint, detectDeletions: !incremental });
}

/**
 * Drops the given keys at any depth of a parsed record, in place: set to undefined, which JSON.stringify
 * leaves out, so the objects keep their shape (deleting would turn them into slow dictionaries) and no
 * copy is made.
 */
function dropKeys(value: unknown, keys: readonly string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) dropKeys(v, keys);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const k in object) {
    if (keys.includes(k)) object[k] = undefined;
    else dropKeys(object[k], keys);
  }
}

/**
 * Orders two cursor values. Timestamps are compared as instants (a provider may write `Z` or `+00:00`, and
 * the lookback writes `Z`); anything else as text.
 */
export function compareCursors(a: string, b: string): number {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x < y ? -1 : x > y ? 1 : 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Older than the cursor by the stream's lookback, as an ISO timestamp (cursors are ISO timestamps). */
function lookBack(cursor: string, lookbackMs: number | undefined): string {
  if (!lookbackMs) return cursor;
  const at = Date.parse(cursor);
  return Number.isNaN(at) ? cursor : new Date(at - lookbackMs).toISOString();
}

/** A child partition nothing changed in since its last complete pass, and not due for a revisit. */
function skipUnchanged(stream: StreamDefinition, parent: ParentRecord, lastCompletePassAt: Date | undefined): boolean {
  if (!stream.shouldFetch || !lastCompletePassAt) return false;
  if (stream.revisitAfterMs !== undefined && Date.now() - lastCompletePassAt.getTime() >= stream.revisitAfterMs) return false;
  return !stream.shouldFetch(parent, lastCompletePassAt);
}

/** A 401 that a fresh token did not cure: the grant is dead. Syncs stop until an admin reconnects. */
async function refusedAfterRefresh(ctx: AppContext, connectionId: string, reason: string) {
  const statusReason = `${reason}.`;
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('connections').selectAll().where('id', '=', connectionId).forUpdate().executeTakeFirstOrThrow();
    if (current.status !== 'active') return undefined; // a refresh in flight already judged it
    await markNeedsReconnect(trx, current, statusReason, { action: 'connection.access_refused', details: { reason } });
    return current;
  });
  if (changed) await announceNeedsReconnect(ctx, changed, statusReason);
}
