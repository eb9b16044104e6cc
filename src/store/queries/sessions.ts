import type { Database } from '../database.ts';

type Db = Database;

export const insertSession = (
  db: Db,
  s: { tokenHash: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
) =>
  db
    .insertInto('sessions')
    .values({ token_hash: s.tokenHash, user_id: s.userId, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
    .execute();

export const findLiveSession = (db: Db, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.token_hash', 's.user_id', 's.expires_at', 's.last_seen_at', 'u.email', 'u.name', 'u.created_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();

export const touchSession = (db: Db, tokenHash: string, expiresAt: Date) =>
  db.updateTable('sessions').set({ last_seen_at: new Date(), expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();

export const deleteSession = (db: Db, tokenHash: string) => db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();

export const deleteSessionsOfUser = (db: Db, userId: string, exceptTokenHash?: string) => {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptTokenHash) q = q.where('token_hash', '!=', exceptTokenHash);
  return q.execute();
};

export const deleteExpiredSessions = async (db: Db) =>
  Number((await db.deleteFrom('sessions').where('expires_at', '<=', new Date()).executeTakeFirst()).numDeletedRows);
