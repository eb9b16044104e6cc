import { Command } from 'commander';
import { Email, Password } from '../api/contracts/accounts.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { ACCESS_CACHE_MS } from '../accounts/access-cache.ts';
import { resetPassword } from '../accounts/sessions.ts';
import { withDatabase } from './database.ts';
import { audit, findUserByEmail, insertMembership, insertUser } from '../store/queries/accounts.ts';
import { TallyError } from '../errors.ts';

async function readPassword(given: string | undefined): Promise<string> {
  const value = given ?? process.env.TALLY_NEW_PASSWORD;
  if (!value) throw new Error('Give the password with --password or the TALLY_NEW_PASSWORD environment variable.');
  const parsed = Password.safeParse(value);
  if (!parsed.success) throw new Error(`Password: ${parsed.error.issues[0]?.message}`);
  return value;
}

export function usersCommand(): Command {
  const users = new Command('users').description('manage user accounts from the command line');

  users
    .command('create')
    .description('create a user, optionally as a member of an organization (by slug)')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--name <name>', 'full name')
    .option('--password <password>', 'password (or TALLY_NEW_PASSWORD)')
    .option('--org <slug>', 'add to this organization')
    .option('--role <role>', 'role in the organization: owner, admin or member', 'member')
    .action(async (opts: { email: string; name: string; password?: string; org?: string; role: string }) => {
      const email = Email.parse(opts.email);
      if (!['owner', 'admin', 'member'].includes(opts.role)) throw new Error('--role must be owner, admin or member');
      const password = await readPassword(opts.password);
      await withDatabase(async ({ ctx }) => {
        if (await findUserByEmail(ctx.db, email)) throw new TallyError('conflict', `An account with the email ${email} already exists.`);
        const user = await insertUser(ctx.db, { email, name: opts.name, passwordHash: await hashPassword(password) });
        if (opts.org) {
          const org = await ctx.db.selectFrom('organizations').select('id').where('slug', '=', opts.org).executeTakeFirst();
          if (!org) throw new Error(`No organization has the slug ${opts.org}.`);
          await insertMembership(ctx.db, { organizationId: org.id, userId: user.id, role: opts.role as 'owner' | 'admin' | 'member' });
        }
        await audit(ctx.db, { organizationId: null, actorUserId: null, action: 'user.created_by_cli', target: user.id });
        console.log(`Created ${email}.`);
      });
    });

  users
    .command('reset-password')
    .description('set a new password for a user (ends their sessions and lockouts)')
    .requiredOption('--email <email>', 'email address')
    .option('--password <password>', 'new password (or TALLY_NEW_PASSWORD)')
    .action(async (opts: { email: string; password?: string }) => {
      const password = await readPassword(opts.password);
      await withDatabase(async ({ ctx }) => {
        await resetPassword(ctx.db, Email.parse(opts.email), password);
        console.log(`Password reset for ${opts.email}. Their sessions are ended; a running Tally refuses them within ${ACCESS_CACHE_MS / 1000} s.`);
      });
    });
  return users;
}
