import { sql } from 'kysely';
import { connectionsDueForRefresh, refreshConnection } from '../connections/refresh.ts';
import { pruneBudgetEvents } from '../http-client/budget.ts';
import { deleteExpiredSessions } from '../store/queries/sessions.ts';
import { scheduleSyncs, syncJob } from '../sync/schedule.ts';
// Registers the analytics recompute that follows every sync, in every process that runs sync jobs.
import '../analytics/index.ts';
import type { JobDefinition } from './boss.ts';

/** Removes expired sessions, old OAuth states, stale login-throttle rows and spent request-budget rows every 15 minutes. */
export const cleanupSessions: JobDefinition = {
  name: 'accounts.cleanup-sessions',
  cron: '*/15 * * * *',
  async run(ctx) {
    const sessions = await deleteExpiredSessions(ctx.db);
    await sql`delete from login_throttle where window_started_at < now() - interval '1 day' and (locked_until is null or locked_until < now())`.execute(ctx.db);
    await sql`delete from oauth_requests where expires_at < now() - interval '1 day'`.execute(ctx.db);
    await pruneBudgetEvents(ctx.db);
    if (sessions > 0) ctx.log.info({ sessions }, 'removed expired sessions');
  },
};

/**
 * Refreshes tokens before they expire and exercises idle refresh tokens weekly. One failure does not stop
 * the others; each refresh retries a passing failure a few times with backoff, and a connection whose
 * refreshes keep failing is tried again after 5, 10, 20, 40, then every 60 minutes (refreshRetryDelay).
 */
export const refreshTokens: JobDefinition = {
  name: 'connections.refresh-tokens',
  cron: '*/5 * * * *',
  retryLimit: 0,
  async run(ctx) {
    for (const { id, reason } of await connectionsDueForRefresh(ctx)) {
      try {
        const outcome = await refreshConnection(ctx, id, { reason });
        ctx.log.info({ connectionId: id, reason, outcome }, 'token refresh');
      } catch (error) {
        ctx.log.warn({ connectionId: id, err: { message: (error as Error).message } }, 'token refresh failed; will retry');
      }
    }
  },
};

/** Every job Tally runs. */
export const jobDefinitions: JobDefinition[] = [cleanupSessions, refreshTokens, scheduleSyncs, syncJob];
