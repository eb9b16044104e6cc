import type { Me, Member } from '../api/contracts/accounts.ts';
import type { Database } from '../store/database.ts';
import { findUserById, membershipsOfUser } from '../store/queries/accounts.ts';
import { TallyError } from '../errors.ts';

/** The logged-in user and their organizations, as the API returns them. */
export async function meOf(db: Database, userId: string): Promise<Me> {
  const user = await findUserById(db, userId);
  if (!user) throw new TallyError('unauthenticated', 'Your account no longer exists. Log in again.');
  const memberships = await membershipsOfUser(db, userId);
  return {
    user: { id: user.id, email: user.email, name: user.name, instanceAdmin: user.instance_admin, createdAt: user.created_at.toISOString() },
    memberships: memberships.map((m) => ({
      organization: { id: m.id, name: m.name, slug: m.slug, createdAt: m.created_at.toISOString() },
      role: m.role,
    })),
  };
}

export const memberView = (m: { userId: string; email: string; name: string; role: Member['role']; joinedAt: Date }): Member => ({
  ...m,
  joinedAt: m.joinedAt.toISOString(),
});
