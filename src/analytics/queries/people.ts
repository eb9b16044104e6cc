import { sql } from 'kysely';
import type { LinkProposal, PersonDetail, PersonRow, UsageLevel } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { TallyError } from '../../errors.ts';
import { rangeOf } from '../dates.ts';
import { ACTIVITY_NOTE } from '../features.ts';
import { usageLevelSql } from '../levels.ts';
import { appName } from './apps-shared.ts';
import { pageOf, window, type Page } from './page.ts';

/** Person status from the summary columns kept by the recompute (people/stats.ts). */
const statusSql = (today: string) =>
  sql<PersonRow['status']>`case when p.departed then 'departed' when p.last_day is null then 'never_seen' when p.active_until >= ${today}::date then 'active' else 'inactive' end`;

const LEVEL_RANK: UsageLevel[] = ['engaged', 'few_features', 'lapsing', 'inactive', 'never_active'];

type AccountRow = {
  person_id: string; connection_id: string; provider: ProviderSlug; account: unknown; account_id: string; name: string | null; email: string | null; nickname: string | null;
  role: string | null; seat: boolean | null; departed: boolean | null; method: 'email' | 'manual' | 'confirmed' | 'own'; confidence: number; last_day: string | null; level: UsageLevel;
};

async function accountsOf(db: Database, personIds: string[], today: string): Promise<AccountRow[]> {
  if (!personIds.length) return [];
  return (
    await sql<AccountRow>`
      select pa.person_id, pa.connection_id, c.provider, c.account, pa.account_id, aa.name, aa.email, aa.nickname, a.role, a.seat, a.departed,
             pa.method, pa.confidence, a.last_day, ${usageLevelSql(today, sql`coalesce(s.inactivity_threshold_days, 60)`)} as level
      from person_accounts pa
      join connections c on c.id = pa.connection_id
      left join app_accounts aa on aa.connection_id = pa.connection_id and aa.external_id = pa.account_id
      left join analytics_accounts a on a.connection_id = pa.connection_id and a.account_id = pa.account_id
      left join app_settings s on s.connection_id = pa.connection_id
      where pa.person_id = any(${personIds}::uuid[])
      order by c.provider, pa.account_id`.execute(db)
  ).rows;
}

type PersonBase = { id: string; display_name: string; primary_email: string | null; status: PersonRow['status']; last_day: string | null; proposals: number };

type AppLevel = { appId: string; provider: ProviderSlug; level: UsageLevel };

/** A person's row: the person's own fields, and each app once at the most engaged level of its accounts there. */
function personRow(p: PersonBase, levels: AppLevel[], accounts: number, linkConfidence: number): PersonRow {
  const apps = new Map<string, AppLevel>();
  for (const l of levels) {
    const prev = apps.get(l.appId);
    if (!prev || LEVEL_RANK.indexOf(l.level) < LEVEL_RANK.indexOf(prev.level)) apps.set(l.appId, l);
  }
  return {
    personId: p.id,
    displayName: p.display_name,
    primaryEmail: p.primary_email,
    status: p.status,
    lastActivityDay: p.last_day,
    apps: [...apps.values()],
    accounts,
    proposals: p.proposals,
    linkConfidence,
  };
}

function rowOf(p: PersonBase, accounts: AccountRow[]): PersonRow {
  const mine = accounts.filter((a) => a.person_id === p.id);
  const levels = mine.map((a) => ({ appId: a.connection_id, provider: a.provider, level: a.level }));
  return personRow(p, levels, mine.length, mine.length ? Math.min(...mine.map((a) => (a.method === 'confirmed' ? a.confidence : 1))) : 1);
}

/** Each app of these people at each of their accounts' usage level today, in the directory's order (by app, then account). */
async function levelsOf(db: Database, personIds: string[], today: string): Promise<Array<AppLevel & { person_id: string }>> {
  if (!personIds.length) return [];
  const rows = await sql<{ person_id: string; app_id: string; provider: ProviderSlug; level: UsageLevel }>`
    select pa.person_id, pa.connection_id as app_id, c.provider, ${usageLevelSql(today, sql`coalesce(s.inactivity_threshold_days, 60)`)} as level
    from person_accounts pa
    join connections c on c.id = pa.connection_id
    left join analytics_accounts a on a.connection_id = pa.connection_id and a.account_id = pa.account_id
    left join app_settings s on s.connection_id = pa.connection_id
    where pa.person_id = any(${personIds}::uuid[])
    order by pa.connection_id, pa.account_id`.execute(db);
  return rows.rows.map((r) => ({ person_id: r.person_id, appId: r.app_id, provider: r.provider, level: r.level }));
}

/** A directory row: the person's kept summary, and each app at its most engaged level today. */
function listRowOf(p: PersonBase & { accounts: number; link_confidence: number }, levels: Array<AppLevel & { person_id: string }>): PersonRow {
  return personRow(p, levels.filter((l) => l.person_id === p.id), p.accounts, Math.round(p.link_confidence * 100) / 100);
}

type PeopleQ = { q?: string | undefined; status?: string | undefined; appId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number; format: 'json' | 'csv' };

/** GET .../people: the directory by name; statuses and filters read the summary columns, the page its accounts. */
export async function peopleList(db: Database, organizationId: string, query: PeopleQ, today: string): Promise<Page<PersonRow>> {
  const like = query.q ? `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const range = query.from || query.to ? rangeOf(query, today, 90) : null;
  const where = sql`p.organization_id = ${organizationId}
    ${like ? sql`and (lower(p.display_name) like ${like} or p.primary_email like ${like})` : sql``}
    ${query.status ? sql`and ${statusSql(today)} = ${query.status}` : sql``}
    ${query.appId ? sql`and exists (select 1 from person_accounts x where x.person_id = p.id and x.connection_id = ${query.appId})` : sql``}
    ${range ? sql`and p.last_day >= ${range.from}::date and exists (select 1 from person_accounts x join activity_daily d on d.connection_id = x.connection_id and d.account_id = x.account_id where x.person_id = p.id and d.day between ${range.from}::date and ${range.to}::date)` : sql``}`;
  const { limit, offset } = window(query);
  const columns = sql`p.id, p.display_name, p.primary_email, ${statusSql(today)} as status, p.last_day, p.accounts, p.link_confidence,
    (select count(*)::int from link_proposals lp where lp.person_id = p.id and lp.status = 'open') as proposals`;
  type Row = PersonBase & { accounts: number; link_confidence: number };
  let rows: Row[];
  let total: number;
  if (like) {
    // A search reads every name once: the matches are counted as the page is picked, in the same pass.
    rows = (await sql<Row & { total: number }>`select ${columns}, count(*) over ()::int as total from people p where ${where} order by lower(p.display_name), p.id limit ${limit} offset ${offset}`.execute(db)).rows;
    total = rows.length ? (rows[0] as Row & { total: number }).total : (await sql<{ n: number }>`select count(*)::int as n from people p where ${where}`.execute(db)).rows[0]!.n;
  } else {
    const [counted, page] = await Promise.all([
      sql<{ n: number }>`select count(*)::int as n from people p where ${where}`.execute(db),
      // The page is picked inside the directory index (index-only); only its rows are read in full.
      sql<Row>`select ${columns} from people p
        where p.id in (select p.id from people p where ${where} order by lower(p.display_name), p.id limit ${limit} offset ${offset})
        order by lower(p.display_name), p.id`.execute(db),
    ]);
    rows = page.rows;
    total = counted.rows[0]!.n;
  }
  const levels = await levelsOf(db, rows.map((p) => p.id), today);
  return pageOf(rows.map((p) => listRowOf(p, levels)), total, query);
}

const proposalSelect = sql`
  select lp.person_id, p.display_name, lp.connection_id, c.provider, c.account, lp.account_id, aa.name, aa.email, aa.nickname, lp.confidence, lp.reason
  from link_proposals lp
  join people p on p.id = lp.person_id
  join connections c on c.id = lp.connection_id
  left join app_accounts aa on aa.connection_id = lp.connection_id and aa.external_id = lp.account_id`;

type ProposalRow = { person_id: string; display_name: string; connection_id: string; provider: ProviderSlug; account: unknown; account_id: string; name: string | null; email: string | null; nickname: string | null; confidence: number; reason: string };

const proposalOf = (r: ProposalRow): LinkProposal => ({
  person: { personId: r.person_id, displayName: r.display_name },
  app: { appId: r.connection_id, provider: r.provider, name: appName(r.provider, r.account) },
  accountId: r.account_id,
  accountName: r.name,
  accountEmail: r.email,
  accountNickname: r.nickname,
  confidence: Math.round(r.confidence * 100) / 100,
  reason: r.reason,
});

/** GET .../people/proposals: open proposals, most confident first. */
export async function proposalsList(db: Database, organizationId: string, query: { appId?: string | undefined; minConfidence?: number | undefined; limit: number; offset: number; format: 'json' | 'csv' }): Promise<Page<LinkProposal>> {
  const where = sql`lp.organization_id = ${organizationId} and lp.status = 'open'
    ${query.appId ? sql`and lp.connection_id = ${query.appId}` : sql``}
    ${query.minConfidence !== undefined ? sql`and lp.confidence >= ${query.minConfidence}` : sql``}`;
  const total = (await sql<{ n: number }>`select count(*)::int as n from link_proposals lp where ${where}`.execute(db)).rows[0]!.n;
  const { limit, offset } = window(query);
  const rows = (await sql<ProposalRow>`${proposalSelect} where ${where} order by lp.confidence desc, p.display_name, lp.account_id limit ${limit} offset ${offset}`.execute(db)).rows;
  return pageOf(rows.map(proposalOf), total, query);
}

/** GET .../people/:personId: accounts, proposals both ways, and the activity timeline. */
export async function personDetail(db: Database, organizationId: string, personId: string, query: { from?: string | undefined; to?: string | undefined }, today: string): Promise<PersonDetail> {
  const person = (
    await sql<PersonBase>`
      select p.id, p.display_name, p.primary_email, ${statusSql(today)} as status, p.last_day,
             (select count(*)::int from link_proposals lp where lp.person_id = p.id and lp.status = 'open') as proposals
      from people p where p.id = ${personId} and p.organization_id = ${organizationId}`.execute(db)
  ).rows[0];
  if (!person) throw new TallyError('not_found', 'That person was not found in this organization’s directory.');
  const { from, to } = rangeOf(query, today, 90, 366);
  const accounts = await accountsOf(db, [personId], today);
  const proposals = (
    await sql<ProposalRow>`${proposalSelect}
      where lp.status = 'open' and (lp.person_id = ${personId}
        or (lp.connection_id, lp.account_id) in (select connection_id, account_id from person_accounts where person_id = ${personId}))
      order by lp.confidence desc, lp.account_id`.execute(db)
  ).rows;
  const timeline = (
    await sql<{ day: string; app_id: string; feature: string; count: number }>`
      select d.day::text as day, d.connection_id as app_id, case when d.feature like 'issue.%' then 'issue' else d.feature end as feature, sum(d.count)::int as count
      from person_accounts pa join activity_daily d on d.connection_id = pa.connection_id and d.account_id = pa.account_id
      where pa.person_id = ${personId} and d.day between ${from}::date and ${to}::date and d.feature <> 'pipeline.build_seconds'
      group by 1, 2, 3 order by 1, 2, 3`.execute(db)
  ).rows;
  return {
    person: rowOf(person, accounts),
    accounts: accounts.map((a) => ({
      app: { appId: a.connection_id, provider: a.provider, name: appName(a.provider, a.account) },
      accountId: a.account_id,
      name: a.name,
      email: a.email,
      nickname: a.nickname,
      role: a.role,
      seat: a.seat ?? false,
      departed: a.departed ?? false,
      method: a.method,
      confidence: Math.round(a.confidence * 100) / 100,
      lastActivityDay: a.last_day,
      level: a.level,
    })),
    proposals: proposals.map(proposalOf),
    timeline: timeline.map((t) => ({ day: t.day, appId: t.app_id, feature: t.feature, count: t.count })),
    activityNote: ACTIVITY_NOTE,
  };
}
