import { sql } from 'kysely';
import { recomputeAnalytics } from '../analytics/index.ts';
import {
  type ImportMemberEmailsResult,
  MEMBER_EMAILS_LIST_CAP,
  type MemberEmailStatus,
} from '../api/contracts/member-emails.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { type MemberEmailRow, normalizeEmail, parseMemberList } from './member-emails-csv.ts';
import { connectionById } from './store.ts';

/** A Bitbucket user the connection knows (an app account keyed by UUID), with the account id members list. */
type Account = { external_id: string; name: string | null; nickname: string | null; email: string | null; email_imported_at: Date | null; account_id: string | null; member: boolean };
type Result = ImportMemberEmailsResult;
type Matched = Result['matched'][number];

/**
 * Imports a Bitbucket workspace member list (CSV from Bitbucket's admin pages) into the connection's app
 * accounts: each row is matched by account id or UUID, then nickname, then display name (case and spacing
 * aside), and gives that member its email. An email from a commit is kept unless `replaceCommitEmails`;
 * one from an earlier import is replaced (the newer list wins). Imported emails are marked so syncs keep
 * them (src/sync/store.ts). Then the connection's analytics are recomputed, which links the members to the
 * people with those emails.
 */
export async function importMemberEmails(
  ctx: AppContext,
  organizationId: string,
  connectionId: string,
  user: { id: string },
  input: { csv: string; replaceCommitEmails: boolean },
): Promise<Result> {
  await bitbucketConnection(ctx.db, organizationId, connectionId);
  const parsed = parseMemberList(input.csv);
  const accounts = await loadAccounts(ctx.db, connectionId);
  if (accounts.length === 0) {
    throw new TallyError('invalid_request', 'Tally has no members of this workspace yet: sync the connection first (Sync now on the Connections page), then import the list.');
  }
  const find = matcher(accounts);
  const emailOwner = new Map(accounts.filter((a) => a.email).map((a) => [a.email!.toLowerCase(), a]));
  const firstLineOf = new Map<string, number>();
  const emailLine = new Map<string, { line: number; account: string }>();
  const result: Result = {
    rows: parsed.rows.length,
    counts: { matched: 0, added: 0, replaced: 0, unchanged: 0, kept: 0, unmatched: 0, invalidEmails: 0, duplicates: 0 },
    matched: [],
    unmatched: [],
    invalidEmails: [],
    duplicates: [],
    columns: parsed.columns,
    delimiter: parsed.delimiter === '\t' ? 'tab' : parsed.delimiter,
    membersWithoutEmail: 0,
  };
  const add = <K extends 'matched' | 'unmatched' | 'invalidEmails' | 'duplicates'>(list: K, item: Result[K][number]) => {
    result.counts[list]++;
    if (result[list].length < MEMBER_EMAILS_LIST_CAP) (result[list] as Array<Result[K][number]>).push(item);
  };

  const changes: Array<{ id: string; email: string }> = [];
  for (const row of parsed.rows) {
    const value = [row.email, row.id, row.nickname, row.name].filter(Boolean).join(', ');
    const checked = normalizeEmail(row.email);
    if ('problem' in checked) {
      add('invalidEmails', { line: row.line, value, reason: checked.problem });
      continue;
    }
    const found = find(row);
    if ('reason' in found) {
      add('unmatched', { line: row.line, value, reason: found.reason });
      continue;
    }
    const { account, by } = found;
    const email = checked.email;
    const earlier = firstLineOf.get(account.external_id);
    if (earlier !== undefined) {
      add('duplicates', { line: row.line, value, reason: `${label(account)} already got an email from line ${earlier}; this row is skipped`, firstLine: earlier });
      continue;
    }
    const sameEmail = emailLine.get(email);
    if (sameEmail) {
      add('duplicates', { line: row.line, value, reason: `line ${sameEmail.line} gives ${email} to another member; an email belongs to one Bitbucket account`, firstLine: sameEmail.line });
      continue;
    }
    const holder = emailOwner.get(email);
    if (holder && holder.external_id !== account.external_id) {
      add('duplicates', { line: row.line, value, reason: `${email} is already the email of ${label(holder)}; an email belongs to one Bitbucket account`, firstLine: null });
      continue;
    }
    firstLineOf.set(account.external_id, row.line);
    emailLine.set(email, { line: row.line, account: account.external_id });

    const previous = account.email?.toLowerCase() ?? null;
    const outcome: Matched['outcome'] =
      previous === null ? 'added' : previous === email ? 'unchanged' : account.email_imported_at || input.replaceCommitEmails ? 'replaced' : 'kept';
    result.counts[outcome]++;
    add('matched', { line: row.line, member: { accountId: account.external_id, name: account.name, nickname: account.nickname }, email, matchedBy: by, outcome, previousEmail: outcome === 'added' || outcome === 'unchanged' ? null : account.email });
    // An unchanged address is marked imported too: the admin's list confirmed it, so commits no longer move it.
    if (outcome !== 'kept' && !(outcome === 'unchanged' && account.email_imported_at)) changes.push({ id: account.external_id, email });
  }

  await ctx.db.transaction().execute(async (trx) => {
    if (changes.length) {
      await sql`
        update app_accounts a set email = v.email, email_imported_at = now()
        from unnest(${changes.map((c) => c.id)}::text[], ${changes.map((c) => c.email)}::text[]) as v(id, email)
        where a.connection_id = ${connectionId} and a.external_id = v.id`.execute(trx);
    }
    await trx
      .insertInto('audit_log')
      .values({ organization_id: organizationId, actor_user_id: user.id, action: 'member_emails.import', target: connectionId, details: JSON.stringify({ rows: result.rows, replaceCommitEmails: input.replaceCommitEmails, ...result.counts }) })
      .execute();
  });
  if (result.counts.added + result.counts.replaced > 0) await recomputeAnalytics(ctx, connectionId);
  const after = await memberEmailCounts(ctx.db, connectionId);
  result.membersWithoutEmail = after.members - after.withEmail;
  ctx.log.info({ connectionId, rows: result.rows, ...result.counts }, 'member emails imported');
  return result;
}

/** How many current members have an email, how many of those came from an import, and the last import. */
export async function memberEmailStatus(db: Database, organizationId: string, connectionId: string): Promise<MemberEmailStatus> {
  await bitbucketConnection(db, organizationId, connectionId);
  const counts = await memberEmailCounts(db, connectionId);
  const last = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select(['audit_log.created_at', 'audit_log.details', 'users.name'])
    .where('audit_log.organization_id', '=', organizationId)
    .where('audit_log.action', '=', 'member_emails.import')
    .where('audit_log.target', '=', connectionId)
    .orderBy('audit_log.id', 'desc')
    .executeTakeFirst();
  const details = (last?.details ?? {}) as { added?: number; replaced?: number };
  return {
    ...counts,
    lastImport: last ? { at: last.created_at.toISOString(), by: last.name ?? null, added: details.added ?? 0, replaced: details.replaced ?? 0 } : null,
  };
}

async function bitbucketConnection(db: Database, organizationId: string, connectionId: string) {
  const connection = await connectionById(db, organizationId, connectionId);
  if (!connection) throw new TallyError('not_found', 'That connection was not found.');
  if (connection.provider !== 'bitbucket') {
    throw new TallyError('invalid_request', 'Member emails are imported for Bitbucket connections only: the other providers’ APIs give members’ emails themselves.');
  }
  return connection;
}

async function memberEmailCounts(db: Database, connectionId: string): Promise<{ members: number; withEmail: number; imported: number }> {
  const row = (
    await sql<{ members: number; with_email: number; imported: number }>`
      with m as (select distinct data->'user'->>'uuid' as id from sync_records where connection_id = ${connectionId} and stream = 'members' and deleted_at is null)
      select count(*)::int as members, count(aa.email)::int as with_email, count(aa.email_imported_at) filter (where aa.email is not null)::int as imported
      from m left join app_accounts aa on aa.connection_id = ${connectionId} and aa.external_id = m.id`.execute(db)
  ).rows[0]!;
  return { members: row.members, withEmail: row.with_email, imported: row.imported };
}

/** Every Bitbucket user of the connection (UUID-keyed accounts), with the Atlassian account id the member lists give. */
async function loadAccounts(db: Database, connectionId: string): Promise<Account[]> {
  return (
    await sql<Account>`
      with users as (
        select data->'user'->>'uuid' as id, max(data->'user'->>'account_id') as account_id, bool_or(stream = 'members' and deleted_at is null) as member
        from sync_records where connection_id = ${connectionId} and stream in ('members', 'workspace_permissions') group by 1
      )
      select aa.external_id, aa.name, aa.nickname, aa.email, aa.email_imported_at, u.account_id, coalesce(u.member, false) as member
      from app_accounts aa left join users u on u.id = aa.external_id
      where aa.connection_id = ${connectionId} and aa.external_id like '{%'`.execute(db)
  ).rows;
}

const idKey = (v: string) => v.trim().replace(/^\{(.*)\}$/, '$1').toLowerCase();
const nameKey = (v: string) => v.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const label = (a: Account) => (a.name ? `${a.name}${a.nickname ? ` (${a.nickname})` : ''}` : (a.nickname ?? a.external_id));

/** Finds a row's member: by account id or UUID, then nickname, then display name; a current member wins a tie. */
function matcher(accounts: Account[]) {
  const index = (keyOf: (a: Account) => Array<string | null>) => {
    const map = new Map<string, Account[]>();
    for (const a of accounts) for (const k of keyOf(a)) if (k) map.set(k, [...(map.get(k) ?? []), a]);
    return map;
  };
  const byId = index((a) => [idKey(a.external_id), a.account_id ? idKey(a.account_id) : null]);
  const byNickname = index((a) => [a.nickname ? nameKey(a.nickname) : null]);
  const byName = index((a) => [a.name ? nameKey(a.name) : null]);
  const steps = [
    { by: 'account_id', what: 'account id', value: (r: MemberEmailRow) => r.id, map: byId, key: idKey },
    { by: 'nickname', what: 'nickname', value: (r: MemberEmailRow) => r.nickname, map: byNickname, key: nameKey },
    { by: 'name', what: 'name', value: (r: MemberEmailRow) => r.name, map: byName, key: nameKey },
  ] as const;
  return (row: MemberEmailRow): { account: Account; by: Matched['matchedBy'] } | { reason: string } => {
    const tried: string[] = [];
    for (const step of steps) {
      const value = step.value(row);
      if (!value) continue;
      const found = step.map.get(step.key(value)) ?? [];
      const members = found.filter((a) => a.member);
      const pick = found.length === 1 ? found[0] : members.length === 1 ? members[0] : undefined;
      if (pick) return { account: pick, by: step.by };
      tried.push(found.length > 1 ? `${found.length} members have the ${step.what} "${value}"` : `no member has the ${step.what} "${value}"`);
    }
    if (tried.length === 0) return { reason: 'the row has no account id, nickname or name to find the member by' };
    return { reason: `${tried.join('; ')}${tried.some((t) => t.includes('members have')) ? ': add the account id to tell them apart' : ''}` };
  };
}
