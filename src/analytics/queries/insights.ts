import { sql } from 'kysely';
import type { Insight } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { TallyError } from '../../errors.ts';
import { rangeOf } from '../dates.ts';
import { money, moneyOrNull } from '../money.ts';
import { appName } from './apps-shared.ts';
import { pageOf, window, type Page } from './page.ts';

/** A snoozed insight whose day has come is open again: the state shown is computed, the stored one kept. */
const stateSql = (today: string) => sql<Insight['state']>`case when i.state = 'snoozed' and i.snoozed_until <= ${today}::date then 'open' else i.state end`;

/** `stateSql(today) = state`, written on the stored state so that the (organization, state, saving) index serves it. */
function stateIs(state: string, today: string) {
  if (state === 'open') return sql`(i.state = 'open' or (i.state = 'snoozed' and i.snoozed_until <= ${today}::date))`;
  if (state === 'snoozed') return sql`(i.state = 'snoozed' and (i.snoozed_until is null or i.snoozed_until > ${today}::date))`;
  return sql`i.state = ${state}`;
}

/** Severity as a rank, written as the insights indexes have it (migration 202611241220). */
const rank = (alias: string) => sql`case ${sql.ref(`${alias}.severity`)} when 'high' then 0 when 'medium' then 1 else 2 end`;
const listOrder = (alias: string) => sql`${sql.ref(`${alias}.current`)} desc, ${sql.ref(`${alias}.saving`)} desc nulls last, ${rank(alias)}, ${sql.ref(`${alias}.first_seen_at`)}, ${sql.ref(`${alias}.id`)}`;
const topOrder = (alias: string) => sql`${sql.ref(`${alias}.saving`)} desc nulls last, ${rank(alias)}, ${sql.ref(`${alias}.id`)}`;
const LIST_ORDER = listOrder('i');
const TOP_ORDER = topOrder('i');

/**
 * The ids of one page of insights in `order`. Open ones are the open and the snoozed whose day has come:
 * each of the two is read in order from its index, as far as the page reaches, and the two merged (a sort
 * of every insight otherwise).
 */
function pageIds(where: ReturnType<typeof sql>, state: string, today: string, order: (alias: string) => ReturnType<typeof sql>, limit: number, offset: number) {
  if (state !== 'open') return sql`select i.id from insights i where ${where} ${state === 'all' ? sql`` : sql`and ${stateIs(state, today)}`} order by ${order('i')} limit ${limit} offset ${offset}`;
  const branch = (which: ReturnType<typeof sql>) =>
    sql`(select i.id, i.current, i.saving, i.severity, i.first_seen_at from insights i where ${where} and ${which} order by ${order('i')} limit ${limit + offset})`;
  return sql`select x.id from (${branch(sql`i.state = 'open'`)} union all ${branch(sql`i.state = 'snoozed' and i.snoozed_until <= ${today}::date`)}) x
    order by ${order('x')} limit ${limit} offset ${offset}`;
}

type Row = {
  id: string; kind: Insight['kind']; severity: Insight['severity']; title: string; summary: string; connection_id: string | null; provider: ProviderSlug | null; account: unknown;
  subject_type: string; subject_id: string; subject_name: string; evidence: Insight['evidence']; saving: string | null; state: Insight['state']; state_note: string | null;
  state_changed_by: string | null; state_changed_at: Date | null; snoozed_until: string | null; current: boolean; first_seen_at: Date; last_seen_at: Date;
};

const insightOf = (r: Row): Insight => ({
  insightId: r.id,
  kind: r.kind,
  severity: r.severity,
  title: r.title,
  summary: r.summary,
  app: r.connection_id && r.provider ? { appId: r.connection_id, provider: r.provider, name: appName(r.provider, r.account) } : null,
  subject: { type: r.subject_type, id: r.subject_id, name: r.subject_name },
  evidence: r.evidence,
  estimatedMonthlySaving: moneyOrNull(r.saving),
  state: r.state,
  stateNote: r.state_note,
  stateChangedBy: r.state_changed_by,
  stateChangedAt: r.state_changed_at?.toISOString() ?? null,
  snoozedUntil: r.state === 'snoozed' ? r.snoozed_until : null,
  current: r.current,
  firstSeenAt: r.first_seen_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
});

/**
 * When an insight was last found: a current one by its connection's latest recompute (which leaves a finding
 * found again unchanged untouched: insights/store.ts), one no longer current when it last was.
 */
const lastSeenSql = sql<Date>`case when i.current then coalesce((select st.computed_at from analytics_state st where st.connection_id = i.connection_id), i.last_seen_at) else i.last_seen_at end`;

const select = (today: string) => sql`
  select i.id, i.kind, i.severity, i.title, i.summary, i.connection_id, c.provider, c.account, i.subject_type, i.subject_id, i.subject_name, i.evidence, i.saving,
         ${stateSql(today)} as state, i.state_note, i.state_changed_by, i.state_changed_at, i.snoozed_until, i.current, i.first_seen_at, ${lastSeenSql} as last_seen_at
  from insights i left join connections c on c.id = i.connection_id`;

type InsightsQ = { state: string; kind?: string | undefined; severity?: string | undefined; appId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number; format: 'json' | 'csv' };

/** GET .../insights: by state (open by default), largest saving first, then severity. */
export async function insightsList(db: Database, organizationId: string, query: InsightsQ, today: string): Promise<Page<Insight> & { totalMonthlySaving: string }> {
  const range = query.from || query.to ? rangeOf(query, today, 90) : null;
  const filters = sql`i.organization_id = ${organizationId}
    ${query.kind ? sql`and i.kind = ${query.kind}` : sql``}
    ${query.severity ? sql`and i.severity = ${query.severity}` : sql``}
    ${query.appId ? sql`and i.connection_id = ${query.appId}` : sql``}
    ${range ? sql`and ${lastSeenSql} >= ${range.from}::date and i.first_seen_at < ${range.to}::date + 1` : sql``}`;
  const where = sql`${filters} ${query.state !== 'all' ? sql`and ${stateIs(query.state, today)}` : sql``}`;
  const { limit, offset } = window(query);
  const [counted, page] = await Promise.all([
    sql<{ n: number; saving: string | null }>`select count(*)::int as n, sum(i.saving)::text as saving from insights i where ${where}`.execute(db),
    // The page is picked on narrow rows first; only its rows are read with their evidence and app.
    sql<Row>`${select(today)} where i.id in (${pageIds(filters, query.state, today, listOrder, limit, offset)}) order by ${LIST_ORDER}`.execute(db),
  ]);
  const totals = counted.rows[0]!;
  const rows = page.rows;
  return { ...pageOf(rows.map(insightOf), totals.n, query), totalMonthlySaving: money(totals.saving) };
}

export async function insightById(db: Database, organizationId: string, insightId: string, today: string): Promise<Insight> {
  const row = (await sql<Row>`${select(today)} where i.organization_id = ${organizationId} and i.id = ${insightId}`.execute(db)).rows[0];
  if (!row) throw new TallyError('not_found', 'That insight was not found. It may belong to a connection that was removed.');
  return insightOf(row);
}

/** Open insights: how many, how many high, their saving, and the five worth most. */
export async function openInsightsSummary(db: Database, organizationId: string, today: string) {
  const where = sql`i.organization_id = ${organizationId} and ${stateIs('open', today)}`;
  const [totals, best] = await Promise.all([
    sql<{ n: number; high: number; saving: string | null }>`
      select count(*)::int as n, count(*) filter (where i.severity = 'high')::int as high, sum(i.saving)::text as saving from insights i where ${where}`.execute(db),
    sql<Row>`${select(today)} where i.id in (${pageIds(sql`i.organization_id = ${organizationId}`, 'open', today, topOrder, 5, 0)}) order by ${TOP_ORDER}`.execute(db),
  ]);
  const t = totals.rows[0]!;
  const top = best.rows;
  return { open: t.n, high: t.high, estimatedMonthlySaving: money(t.saving), top: top.map(insightOf) };
}
