import type { Member, Role } from '../../api/accounts.ts';

// What the signed-in person may do to a member, so the page only offers what the API will allow.
// The API stays the judge: anything it refuses is shown with its message.

export function canManageMembers(myRole: Role): boolean {
  return myRole === 'owner' || myRole === 'admin';
}

/** Admins manage admins and members; only owners touch owners (grant, revoke, remove). */
export function canManage(myRole: Role, target: Member, isSelf: boolean): boolean {
  if (isSelf || !canManageMembers(myRole)) return false;
  return myRole === 'owner' || target.role !== 'owner';
}

/** The roles this person can hand out. */
export function grantableRoles(myRole: Role): Role[] {
  if (myRole === 'owner') return ['owner', 'admin', 'member'];
  if (myRole === 'admin') return ['admin', 'member'];
  return [];
}

export function isLastOwner(members: Member[], userId: string): boolean {
  const owners = members.filter((m) => m.role === 'owner');
  return owners.length === 1 && owners[0]?.userId === userId;
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything an admin can do, plus managing owners.',
  admin: 'Invites people, manages members and connections.',
  member: 'Sees dashboards, spend and insights.',
};
