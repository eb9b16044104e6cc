import { sql } from 'kysely';
import { TallyError } from '../errors.ts';
import type { Database } from '../store/database.ts';

/**
 * Failed logins are counted per account and per client address in Postgres, so every Tally process sees
 * the same counts. Too many in the window locks that key for a while.
 */
export const LOGIN_LIMITS = {
  account: { failures: 5, windowMinutes: 15, lockMinutes: 15 },
  ip: { failures: 20, windowMinutes: 15, lockMinutes: 15 },
} as const;

type Kind = keyof typeof LOGIN_LIMITS;
const keyOf = (kind: Kind, value: string) => `${kind}:${value.toLowerCase()}`;

export async function assertNotLocked(db: Database, email: string, ip: string): Promise<void> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until'])
    .where('key', 'in', [keyOf('account', email), keyOf('ip', ip)])
    .where('locked_until', '>', new Date())
    .execute();
  const lock = rows.sort((a, b) => Number(b.locked_until) - Number(a.locked_until))[0];
  if (!lock?.locked_until) return;
  const seconds = Math.max(1, Math.ceil((lock.locked_until.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  const who = lock.key.startsWith('account:') ? 'this account' : 'your network address';
  throw new TallyError(
    'too_many_attempts',
    `Too many failed log-in attempts for ${who}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset your password.`,
    { retryAfterSeconds: seconds },
  );
}

export async function recordFailure(db: Database, email: string, ip: string): Promise<void> {
  for (const kind of ['account', 'ip'] as const) {
    const limit = LOGIN_LIMITS[kind];
    await sql`
      insert into login_throttle (key, failures, window_started_at)
      values (${keyOf(kind, kind === 'account' ? email : ip)}, 1, now())
      on conflict (key) do update set
        failures = case when login_throttle.window_started_at < now() - make_interval(mins => ${limit.windowMinutes})
                        then 1 else login_throttle.failures + 1 end,
        window_started_at = case when login_throttle.window_started_at < now() - make_interval(mins => ${limit.windowMinutes})
                                 then now() else login_throttle.window_started_at end,
        locked_until = case when login_throttle.window_started_at >= now() - make_interval(mins => ${limit.windowMinutes})
                             and login_throttle.failures + 1 >= ${limit.failures}
                            then now() + make_interval(mins => ${limit.lockMinutes}) else login_throttle.locked_until end
    `.execute(db);
  }
}

export async function clearAccountFailures(db: Database, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', keyOf('account', email)).execute();
}
