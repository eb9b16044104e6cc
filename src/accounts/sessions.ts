import { TallyError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { audit, findUserByEmail, findUserById, updateUser } from '../store/queries/accounts.ts';
import { deleteSession, deleteSessionsOfUser, findLiveSession, insertSession, touchSession } from '../store/queries/sessions.ts';
import { accessCache } from './access-cache.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { assertNotLocked, clearAccountFailures, recordFailure } from './throttle.ts';
import { hashToken, newToken } from './tokens.ts';

/** A session lives 14 days past its last use. */
export const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export type SessionUser = { userId: string; tokenHash: string };
type ClientInfo = { ip: string; userAgent: string | null };

export async function createSession(db: Database, userId: string, client: ClientInfo): Promise<string> {
  const { token, hash } = newToken();
  await insertSession(db, { tokenHash: hash, userId, expiresAt: new Date(Date.now() + SESSION_IDLE_MS), ip: client.ip, userAgent: client.userAgent });
  return token;
}

/**
 * The user behind a session cookie, or undefined; extends the session at most once a minute. Kept in the
 * process's access cache (access-cache.ts: a logout elsewhere shows within ACCESS_CACHE_MS).
 */
export async function resolveSession(db: Database, token: string | undefined): Promise<SessionUser | undefined> {
  if (!token) return undefined;
  const tokenHash = hashToken(token);
  const session = await accessCache(db).session(tokenHash, async () => {
    const row = await findLiveSession(db, tokenHash);
    return row && { userId: row.user_id, expiresAt: row.expires_at.getTime(), lastSeenAt: row.last_seen_at.getTime() };
  });
  if (!session) return undefined;
  const now = Date.now();
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    // Noted before the write, so the requests arriving meanwhile do not touch it too.
    session.lastSeenAt = now;
    session.expiresAt = now + SESSION_IDLE_MS;
    await touchSession(db, tokenHash, new Date(session.expiresAt));
  }
  return { userId: session.userId, tokenHash };
}

export async function login(db: Database, email: string, password: string, client: ClientInfo): Promise<{ userId: string; token: string }> {
  await assertNotLocked(db, email, client.ip);
  const user = await findUserByEmail(db, email);
  // Verify against a dummy hash when there is no such user, so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) {
    await recordFailure(db, email, client.ip);
    throw new TallyError('invalid_credentials', 'That email and password do not match an account.');
  }
  await clearAccountFailures(db, email);
  const token = await createSession(db, user.id, client);
  await audit(db, { organizationId: null, actorUserId: user.id, action: 'user.logged_in', details: { ip: client.ip } });
  return { userId: user.id, token };
}

export async function logout(db: Database, tokenHash: string): Promise<void> {
  await deleteSession(db, tokenHash);
  accessCache(db).forgetSessions({ tokenHash });
}

/** Changing the password ends every other session of the user. */
export async function changePassword(db: Database, session: SessionUser, currentPassword: string, newPassword: string): Promise<void> {
  const user = await findUserById(db, session.userId);
  if (!user || !(await verifyPassword(currentPassword, user.password_hash))) {
    throw new TallyError('invalid_credentials', 'The current password is not right.');
  }
  await updateUser(db, user.id, { passwordHash: await hashPassword(newPassword) });
  await deleteSessionsOfUser(db, user.id, session.tokenHash);
  accessCache(db).forgetSessions({ userId: user.id, except: session.tokenHash });
  await audit(db, { organizationId: null, actorUserId: user.id, action: 'user.password_changed' });
}

/** For the CLI (`tally users reset-password`): sets a password and ends all sessions and lockouts of the user. */
export async function resetPassword(db: Database, email: string, newPassword: string): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new TallyError('not_found', `No account has the email ${email}.`);
  await updateUser(db, user.id, { passwordHash: await hashPassword(newPassword) });
  await deleteSessionsOfUser(db, user.id);
  accessCache(db).forgetSessions({ userId: user.id });
  await clearAccountFailures(db, email);
  await audit(db, { organizationId: null, actorUserId: null, action: 'user.password_reset', target: user.id });
}
