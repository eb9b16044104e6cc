import { sql } from 'kysely';
import { deleteExpiredSessions } from '../store/queries/sessions.ts';
import type { JobDefinition } from './boss.ts';

/** Removes expired sessions and stale login-throttle rows every 15 minutes. */
export const cleanupSessions: JobDefinition = {
  name: 'accounts.cleanup-sessions',
  cron: '*/15 * * * *',
  async run(ctx) {
    const sessions = await deleteExpiredSessions(ctx.db);
    await sql`delete from login_throttle where window_started_at < now() - interval '1 day' and (locked_until is null or locked_until < now())`.execute(ctx.db);
    if (sessions > 0) ctx.log.info({ sessions }, 'removed expired sessions');
  },
};

/** Every job Tally runs. */
export const jobDefinitions: JobDefinition[] = [cleanupSessions];
