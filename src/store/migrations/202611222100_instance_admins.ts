import { sql, type Kysely } from 'kysely';

/** Instance-wide settings (provider OAuth apps) belong to instance admins: the account that ran setup, and whom it names. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column instance_admin boolean not null default false;
    update users set instance_admin = true
      where id = (select actor_user_id from audit_log where action = 'setup.completed' order by id limit 1);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column instance_admin`.execute(db);
}
