import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { displayNameOf, hasVerifiedEmail, normalizeName, proposalsFor, type Candidate } from './matching.ts';

/** An account on its own to find proposals for; `onlyTo` limits them to some people (those just made). */
type Fresh = { account: Account; personId: string; connectionId?: string; onlyTo?: string[] };
type Account = { account_id: string; name: string | null; email: string | null; nickname: string | null; person_id: string | null; method: string | null; person_email: string | null };

/**
 * Puts every app account of a people-based connection in the people directory:
 * - an account with an email the provider verified joins the person with that email (made if none): `email`;
 * - any other account is a person of its own (`own`), with proposals to join look-alike people for an
 *   admin to confirm or reject;
 * - an admin's decision (`manual`, `confirmed`) is never changed here, whatever later syncs say.
 * Only accounts that are new, or whose verified email appeared or changed, are looked at: a sync that
 * changed no identity costs one query.
 */
export async function linkPeople(db: Database, c: { id: string; organizationId: string }): Promise<{ linked: string[]; proposals: number }> {
  const pending = (
    await sql<Account>`
      select aa.external_id as account_id, aa.name, aa.email, aa.nickname, pa.person_id, pa.method, (select p.primary_email from people p where p.id = pa.person_id) as person_email
      from app_accounts aa
      left join person_accounts pa on pa.connection_id = aa.connection_id and pa.account_id = aa.external_id
      where aa.connection_id = ${c.id}
        and (pa.person_id is null
          or (pa.method in ('own', 'email') and aa.email is not null and aa.external_id not like 'email:%' and aa.external_id not like 'raw:%'
              -- A lookup by key per linked account: joining people would read the whole directory on every sync.
              and exists (select 1 from people p where p.id = pa.person_id and not p.edited and p.primary_email is distinct from lower(aa.email))))`.execute(db)
  ).rows;
  if (!pending.length) return { linked: [], proposals: 0 };
  const fresh: Fresh[] = [];
  const newPeople: string[] = [];
  for (const a of pending) {
    if (hasVerifiedEmail(a.account_id, a.email)) {
      const email = a.email.toLowerCase();
      const existing = await db.selectFrom('people').select('id').where('organization_id', '=', c.organizationId).where('primary_email', '=', email).executeTakeFirst();
      let personId = existing?.id;
      // A person of its own that just learned its verified email takes it, rather than becoming a new person.
      if (!personId && a.person_id && a.method === 'own') {
        await db.updateTable('people').set({ primary_email: email, updated_at: new Date() }).where('id', '=', a.person_id).where('edited', '=', false).execute();
        personId = a.person_id;
      }
      if (!personId) {
        personId = (await db.insertInto('people').values({ organization_id: c.organizationId, display_name: displayNameOf({ ...a, accountId: a.account_id }), primary_email: email }).returning('id').executeTakeFirstOrThrow()).id;
        newPeople.push(personId);
      }
      await setLink(db, c, a.account_id, personId, 'email');
      if (a.person_id && a.person_id !== personId) await dropIfEmpty(db, a.person_id);
      await db.deleteFrom('link_proposals').where('connection_id', '=', c.id).where('account_id', '=', a.account_id).where('status', '=', 'open').execute();
      continue;
    }
    if (a.person_id) continue;
    const personId = (await db.insertInto('people').values({ organization_id: c.organizationId, display_name: displayNameOf({ ...a, accountId: a.account_id }), primary_email: null }).returning('id').executeTakeFirstOrThrow()).id;
    await setLink(db, c, a.account_id, personId, 'own');
    fresh.push({ account: a, personId });
  }
  // Accounts already on their own may be the people just made (a commit author seen before the member's email).
  if (newPeople.length) {
    const known = new Set(fresh.map((f) => `${c.id}\u0000${f.account.account_id}`));
    const own = (
      await sql<Account & { connection_id: string }>`
        select pa.connection_id, aa.external_id as account_id, aa.name, aa.email, aa.nickname, pa.person_id, pa.method, null as person_email
        from person_accounts pa join app_accounts aa on aa.connection_id = pa.connection_id and aa.external_id = pa.account_id
        where pa.organization_id = ${c.organizationId} and pa.method = 'own'`.execute(db)
    ).rows;
    for (const o of own) if (!known.has(`${o.connection_id}\u0000${o.account_id}`)) fresh.push({ account: o, personId: o.person_id!, connectionId: o.connection_id, onlyTo: newPeople });
  }
  const proposals = fresh.length ? await propose(db, c, fresh) : 0;
  await refreshDisplayNames(db, c.organizationId);
  return { linked: pending.map((a) => a.account_id), proposals };
}

/**
 * The connections among these that linkPeople() has work in: an account in no person yet, or one whose
 * verified email is no longer its automatic person's. One read for all of them (the directory joined once).
 */
export async function pendingLinks(db: Database, connectionIds: string[]): Promise<Set<string>> {
  if (!connectionIds.length) return new Set();
  const rows = await sql<{ connection_id: string }>`
    select distinct aa.connection_id
    from app_accounts aa
    left join person_accounts pa on pa.connection_id = aa.connection_id and pa.account_id = aa.external_id
    left join people p on p.id = pa.person_id
    where aa.connection_id = any(${connectionIds}::uuid[])
      and (pa.person_id is null
        or (pa.method in ('own', 'email') and aa.email is not null and aa.external_id not like 'email:%' and aa.external_id not like 'raw:%'
            and not p.edited and p.primary_email is distinct from lower(aa.email)))`.execute(db);
  return new Set(rows.rows.map((r) => r.connection_id));
}

async function setLink(db: Database, c: { id: string; organizationId: string }, accountId: string, personId: string, method: 'email' | 'own') {
  await db
    .insertInto('person_accounts')
    .values({ connection_id: c.id, account_id: accountId, organization_id: c.organizationId, person_id: personId, method, confidence: 1 })
    .onConflict((oc) => oc.columns(['connection_id', 'account_id']).doUpdateSet({ person_id: personId, method, confidence: 1 }))
    .execute();
}

/** A person left without accounts and never touched by an admin was only a placeholder: it goes. */
export async function dropIfEmpty(db: Database, personId: string): Promise<void> {
  await sql`delete from people p where p.id = ${personId} and not p.edited and not exists (select 1 from person_accounts pa where pa.person_id = p.id)`.execute(db);
}

/** Proposals for accounts that became people of their own, against every other person of the organization. */
async function propose(db: Database, c: { id: string; organizationId: string }, fresh: Fresh[]): Promise<number> {
  const rows = (
    await sql<{ person_id: string; display_name: string; primary_email: string | null; names: string[] | null; nicknames: string[] | null }>`
      select p.id as person_id, p.display_name, p.primary_email,
             array_remove(array_agg(distinct aa.name), null) as names, array_remove(array_agg(distinct aa.nickname), null) as nicknames
      from people p
      left join person_accounts pa on pa.person_id = p.id
      left join app_accounts aa on aa.connection_id = pa.connection_id and aa.external_id = pa.account_id
      where p.organization_id = ${c.organizationId}
      group by p.id`.execute(db)
  ).rows;
  // Index candidates by the keys score() can match on, so each account is compared with a handful, not all.
  const byKey = new Map<string, Candidate[]>();
  const add = (key: string, cand: Candidate) => key && byKey.set(key, [...(byKey.get(key) ?? []), cand]);
  for (const r of rows) {
    const cand: Candidate = { personId: r.person_id, displayName: r.display_name, primaryEmail: r.primary_email, names: r.names ?? [], nicknames: r.nicknames ?? [] };
    if (r.primary_email) add(`e:${r.primary_email.toLowerCase()}`, cand);
    if (r.primary_email) add(`n:${r.primary_email.split('@')[0]!.replace(/[^a-z0-9]/gi, '').toLowerCase()}`, cand);
    for (const n of [r.display_name, ...cand.names, ...cand.nicknames]) add(`n:${normalizeName(n).replace(/ /g, '')}`, cand);
  }
  const rejected = new Set(
    (await db.selectFrom('link_proposals').select(['connection_id', 'account_id', 'person_id']).where('organization_id', '=', c.organizationId).where('status', '=', 'rejected').execute()).map(
      (r) => `${r.connection_id}\u0000${r.account_id}\u0000${r.person_id}`,
    ),
  );
  let made = 0;
  for (const { account, personId, connectionId = c.id, onlyTo } of fresh) {
    const keys = [
      account.email ? `e:${account.email.toLowerCase()}` : '',
      `n:${normalizeName(account.name).replace(/ /g, '')}`,
      `n:${normalizeName(account.nickname).replace(/ /g, '')}`,
      account.email ? `n:${account.email.split('@')[0]!.replace(/[^a-z0-9]/gi, '').toLowerCase()}` : '',
    ];
    const candidates = [...new Map(keys.flatMap((k) => (k && k !== 'n:' ? (byKey.get(k) ?? []) : [])).map((x) => [x.personId, x])).values()].filter(
      (x) => x.personId !== personId && (!onlyTo || onlyTo.includes(x.personId)) && !rejected.has(`${connectionId}\u0000${account.account_id}\u0000${x.personId}`),
    );
    for (const p of proposalsFor(account, candidates)) {
      await db
        .insertInto('link_proposals')
        .values({ connection_id: connectionId, account_id: account.account_id, person_id: p.personId, organization_id: c.organizationId, confidence: p.confidence, reason: p.reason })
        .onConflict((oc) => oc.columns(['connection_id', 'account_id', 'person_id']).doUpdateSet({ confidence: p.confidence, reason: p.reason }).where('link_proposals.status', '=', 'open'))
        .execute();
      made++;
    }
  }
  return made;
}

/** People nobody edited are named after their best account: a seat holder's name before a commit author's text. */
export async function refreshDisplayNames(db: Database, organizationId: string): Promise<void> {
  await sql`
    update people p set display_name = best.name, updated_at = now()
    from (
      select distinct on (pa.person_id) pa.person_id, coalesce(nullif(trim(aa.name), ''), aa.nickname) as name
      from person_accounts pa join app_accounts aa on aa.connection_id = pa.connection_id and aa.external_id = pa.account_id
      left join analytics_accounts an on an.connection_id = pa.connection_id and an.account_id = pa.account_id
      where pa.organization_id = ${organizationId} and coalesce(nullif(trim(aa.name), ''), aa.nickname) is not null
      order by pa.person_id, coalesce(an.seat, false) desc, (aa.external_id like '{%') desc, aa.external_id
    ) best
    where p.id = best.person_id and not p.edited and p.display_name is distinct from best.name`.execute(db);
}
