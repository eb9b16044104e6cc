import { sql } from 'kysely';
import type { z } from 'zod';
import type { SetupRequest } from '../api/contracts/accounts.ts';
import { TallyError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { audit, insertMembership, insertOrganization, insertUser } from '../store/queries/accounts.ts';
import { uniqueSlug } from './organizations.ts';
import { hashPassword } from './passwords.ts';

export async function setupNeeded(db: Database): Promise<boolean> {
  return (await db.selectFrom('instance').select('id').executeTakeFirst()) === undefined;
}

/**
 * First run: creates the first organization and its owner. The `instance` row is written in the same
 * transaction and can exist only once, so of two concurrent setups exactly one succeeds, and setup is
 * closed for good afterwards.
 */
export async function runSetup(db: Database, input: z.infer<typeof SetupRequest>): Promise<{ userId: string; organizationId: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const claimed = await sql`insert into instance (id) values (true) on conflict do nothing`.execute(trx);
    if (Number(claimed.numAffectedRows ?? 0) === 0) {
      throw new TallyError('setup_done', 'Tally is already set up. Log in, or ask an admin of your organization for an invitation.');
    }
    const user = await insertUser(trx, { email: input.email, name: input.name, passwordHash });
    await trx.updateTable('users').set({ instance_admin: true }).where('id', '=', user.id).execute();
    const org = await insertOrganization(trx, { name: input.organizationName, slug: await uniqueSlug(trx, input.organizationName) });
    await insertMembership(trx, { organizationId: org.id, userId: user.id, role: 'owner' });
    await audit(trx, { organizationId: org.id, actorUserId: user.id, action: 'setup.completed' });
    return { userId: user.id, organizationId: org.id };
  });
}
