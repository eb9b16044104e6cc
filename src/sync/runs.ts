import os from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../store/database.ts';
import type { SyncRunStatus } from '../store/schema.ts';

export type RunCounters = {
  pages: number;
  requests: number;
  recordsAdded: number;
  recordsUpdated: number;
  recordsDeleted: number;
  retries: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
  quarantined: number;
  skipped: Array<{ stream: string; partition: string; reason: string }>;
};

export const emptyCounters = (): RunCounters => ({
  pages: 0,
  requests: 0,
  recordsAdded: 0,
  recordsUpdated: 0,
  recordsDeleted: 0,
  retries: 0,
  rateLimitWaits: 0,
  rateLimitWaitMs: 0,
  quarantined: 0,
  skipped: [],
});

/** A run whose worker has not beaten its heart for this long is taken for dead. */
export const STALE_RUN_MS = 2 * 60 * 1000;

export class SyncBusyError extends Error {
  override name = 'SyncBusyError';
}

/** This process, as recorded on the runs it starts. */
const thisWorker = `${os.hostname()}:${process.pid}`;

function deadOnThisHost(worker: string | null): boolean {
  if (!worker) return false;
  const at = worker.lastIndexOf(':');
  if (worker.slice(0, at) !== os.hostname()) return false;
  try {
    process.kill(Number(worker.slice(at + 1)), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Marks runs left "running" by a dead process as failed; their checkpoints let the next run resume. A run
 * is dead when its heartbeat is late, or at once when its process on this host is gone (a killed worker
 * restarted). Returns the connections whose run was swept.
 */
export async function sweepAbandonedRuns(db: Database, connectionId?: string): Promise<string[]> {
  let running = db.selectFrom('sync_runs').select(['id', 'worker', 'heartbeat_at']).where('status', '=', 'running');
  if (connectionId) running = running.where('connection_id', '=', connectionId);
  const staleBefore = Date.now() - STALE_RUN_MS;
  const dead = (await running.execute()).filter((r) => r.heartbeat_at.getTime() < staleBefore || deadOnThisHost(r.worker)).map((r) => r.id);
  if (dead.length === 0) return [];
  const swept = await db
    .updateTable('sync_runs')
    .set({
      status: 'failed',
      finished_at: new Date(),
      error_code: 'abandoned',
      error_message: 'The worker running this sync stopped (crash or restart). The next run resumes from the last saved page.',
    })
    .where('id', 'in', dead)
    .where('status', '=', 'running')
    .returning('connection_id')
    .execute();
  return swept.map((r) => r.connection_id);
}

/** Starts a run; a unique index allows one running sync per connection across all workers. */
export async function startRun(
  db: Database,
  r: { organizationId: string; connectionId: string; trigger: string; fullRefresh: boolean; streams: string[] },
): Promise<string> {
  await sweepAbandonedRuns(db, r.connectionId);
  try {
    const row = await db
      .insertInto('sync_runs')
      .values({ organization_id: r.organizationId, connection_id: r.connectionId, trigger: r.trigger, status: 'running', full_refresh: r.fullRefresh, streams: r.streams, worker: thisWorker })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new SyncBusyError('A sync of this connection is already running.');
    throw error;
  }
}

const counterColumns = (c: RunCounters) => ({
  pages: c.pages,
  requests: c.requests,
  records_added: c.recordsAdded,
  records_updated: c.recordsUpdated,
  records_deleted: c.recordsDeleted,
  retries: c.retries,
  rate_limit_waits: c.rateLimitWaits,
  rate_limit_wait_ms: Math.round(c.rateLimitWaitMs),
  quarantined: c.quarantined,
  skipped: JSON.stringify(c.skipped),
});

export async function heartbeat(db: Database, runId: string, c: RunCounters): Promise<void> {
  await db.updateTable('sync_runs').set({ ...counterColumns(c), heartbeat_at: sql`now()` as unknown as Date }).where('id', '=', runId).execute();
}

export async function finishRun(db: Database, runId: string, status: SyncRunStatus, c: RunCounters, error?: { code: string; message: string }): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({ ...counterColumns(c), status, finished_at: new Date(), heartbeat_at: new Date(), error_code: error?.code ?? null, error_message: error?.message ?? null })
    .where('id', '=', runId)
    .execute();
}
