import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Set when the email came from an admin's import of the workspace member list (Bitbucket's API gives
    -- none). Syncs never replace such an email with a commit's: the admin's list is the account's address.
    alter table app_accounts add column email_imported_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table app_accounts drop column email_imported_at`.execute(db);
}
