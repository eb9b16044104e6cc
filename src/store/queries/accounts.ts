import { sql } from 'kysely';
import type { Database } from '../database.ts';
import type { RoleValue } from '../schema.ts';

type Db = Database;

export const findUserByEmail = (db: Db, email: string) =>
  db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();

export const findUserById = (db: Db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const insertUser = (db: Db, user: { email: string; name: string; passwordHash: string }) =>
  db
    .insertInto('users')
    .values({ email: user.email, name: user.name, password_hash: user.passwordHash })
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateUser = (db: Db, id: string, values: { name?: string; passwordHash?: string }) =>
  db
    .updateTable('users')
    .set({
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.passwordHash !== undefined ? { password_hash: values.passwordHash } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const insertOrganization = (db: Db, org: { name: string; slug: string }) =>
  db.insertInto('organizations').values(org).returningAll().executeTakeFirstOrThrow();

export const slugTaken = async (db: Db, slug: string) =>
  (await db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;

export const membershipsOfUser = (db: Db, userId: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.name', 'o.slug', 'o.created_at', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('o.name')
    .execute();

export const findMembership = (db: Db, organizationId: string, userId: string) =>
  db
    .selectFrom('memberships')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export const insertMembership = (db: Db, m: { organizationId: string; userId: string; role: RoleValue }) =>
  db
    .insertInto('memberships')
    .values({ organization_id: m.organizationId, user_id: m.userId, role: m.role })
    .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doNothing())
    .execute();

export const membersOfOrganization = (db: Db, organizationId: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email', 'u.name', 'm.role', 'm.created_at as joinedAt'])
    .where('m.organization_id', '=', organizationId)
    .orderBy('u.name')
    .execute();

export const setMemberRole = (db: Db, organizationId: string, userId: string, role: RoleValue) =>
  db.updateTable('memberships').set({ role }).where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();

export const deleteMembership = (db: Db, organizationId: string, userId: string) =>
  db.deleteFrom('memberships').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();

/** Locks the organization's owner rows so two concurrent demotions cannot both pass the last-owner check. */
export const lockOwners = (db: Db, organizationId: string) =>
  db
    .selectFrom('memberships')
    .select('user_id')
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute();

export const audit = (
  db: Db,
  entry: { organizationId: string | null; actorUserId: string | null; action: string; target?: string; details?: Record<string, unknown> },
) =>
  db
    .insertInto('audit_log')
    .values({
      organization_id: entry.organizationId,
      actor_user_id: entry.actorUserId,
      action: entry.action,
      target: entry.target ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
