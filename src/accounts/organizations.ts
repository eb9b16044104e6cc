import { TallyError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { RoleValue } from '../store/schema.ts';
import {
  audit,
  deleteMembership,
  findMembership,
  insertMembership,
  insertOrganization,
  lockOwners,
  membersOfOrganization,
  setMemberRole,
  slugTaken,
} from '../store/queries/accounts.ts';
import { accessCache } from './access-cache.ts';
import { memberView } from './views.ts';

const rank: Record<RoleValue, number> = { member: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: RoleValue, needed: RoleValue): boolean {
  return rank[role] >= rank[needed];
}

/**
 * The caller's membership in an organization, or 404: a non-member must not learn that the organization
 * exists. A member whose role is too low gets 403. Kept in the process's access cache (access-cache.ts: a
 * removal or role change elsewhere shows within ACCESS_CACHE_MS).
 */
export async function requireRole(db: Database, organizationId: string, userId: string, needed: RoleValue): Promise<RoleValue> {
  const role = await accessCache(db).role(organizationId, userId, async () => (await findMembership(db, organizationId, userId))?.role);
  if (!role) throw new TallyError('not_found', 'That organization was not found.');
  if (!roleAtLeast(role, needed)) {
    throw new TallyError('forbidden', `This needs the ${needed} role in the organization; ask one of its admins.`);
  }
  return role;
}

export async function uniqueSlug(db: Database, name: string): Promise<string> {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await slugTaken(db, slug))) return slug;
  }
}

export async function createOrganization(db: Database, userId: string, name: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const org = await insertOrganization(trx, { name, slug: await uniqueSlug(trx, name) });
    await insertMembership(trx, { organizationId: org.id, userId, role: 'owner' });
    await audit(trx, { organizationId: org.id, actorUserId: userId, action: 'organization.created' });
    return org.id;
  });
}

export async function listMembers(db: Database, organizationId: string) {
  return (await membersOfOrganization(db, organizationId)).map(memberView);
}

/** Admins change roles; granting or taking away `owner` is for owners; the last owner stays an owner. */
export async function changeRole(db: Database, organizationId: string, actor: { userId: string; role: RoleValue }, userId: string, role: RoleValue) {
  await db.transaction().execute(async (trx) => {
    const owners = await lockOwners(trx, organizationId);
    const target = await findMembership(trx, organizationId, userId);
    if (!target) throw new TallyError('not_found', 'That member was not found in this organization.');
    if ((role === 'owner' || target.role === 'owner') && actor.role !== 'owner') {
      throw new TallyError('forbidden', 'Only an owner can make someone an owner or change an owner’s role.');
    }
    if (target.role === 'owner' && role !== 'owner' && owners.length === 1) {
      throw new TallyError('last_owner', 'This is the last owner of the organization. Make someone else an owner first.');
    }
    await setMemberRole(trx, organizationId, userId, role);
    await audit(trx, { organizationId, actorUserId: actor.userId, action: 'member.role_changed', target: userId, details: { from: target.role, to: role } });
  });
  accessCache(db).forgetMembership(organizationId, userId);
}

/** Removing someone else needs admin (owner to remove an owner); anyone may remove themselves, but not the last owner. */
export async function removeMember(db: Database, organizationId: string, actor: { userId: string; role: RoleValue }, userId: string) {
  await db.transaction().execute(async (trx) => {
    const owners = await lockOwners(trx, organizationId);
    const target = await findMembership(trx, organizationId, userId);
    if (!target) throw new TallyError('not_found', 'That member was not found in this organization.');
    const self = userId === actor.userId;
    if (!self && !roleAtLeast(actor.role, 'admin')) throw new TallyError('forbidden', 'Only admins can remove members.');
    if (!self && target.role === 'owner' && actor.role !== 'owner') throw new TallyError('forbidden', 'Only an owner can remove an owner.');
    if (target.role === 'owner' && owners.length === 1) {
      throw new TallyError('last_owner', 'The last owner cannot leave. Make someone else an owner first, or delete the organization.');
    }
    await deleteMembership(trx, organizationId, userId);
    await audit(trx, { organizationId, actorUserId: actor.userId, action: self ? 'member.left' : 'member.removed', target: userId });
  });
  accessCache(db).forgetMembership(organizationId, userId);
}
