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

const LIST_ORDER = sql`i.current desc, i.saving desc nulls last, case i.severity when 'high' then 0 when 'medium' then 1 else 2 end, i.first_seen_at, i.id`;
const TOP_ORDER = sql`i.saving desc nulls last, case i.severity when 'high' then 0 when 'medium' then 1 else 2 end, i.id`;

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

const select = (today: string) => sql`
  select i.id, i.kind, i.severity, i.title, i.summary, i.connection_id, c.provider, c.account, i.subject_type, i.subject_id, i.subject_name, i.evidence, i.saving,
         ${stateSql(today)} as state, i.state_note, i.state_changed_by, i.state_changed_at, i.snoozed_until, i.current, i.first_seen_at, i.last_seen_at
  from insights i left join connections c on c.id = i.connection_id`;

type InsightsQ = { state: string; kind?: string | undefined; severity?: string | undefined; appId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number; format: 'json' | 'csv' };

/** GET .../insights: by state (open by default), largest saving first, then severity. */
export async function insightsList(db: Database, organizationId: string, query: InsightsQ, today: string): Promise<Page<Insight> & { totalMonthlySaving: string }> {
  const range = query.from || query.to ? rangeOf(query, today, 90) : null;
  const where = sql`i.organization_id = ${organizationId}
    ${query.state !== 'all' ? sql`and ${stateIs(query.state, today)}` : sql``}
    ${query.kind ? sql`and i.kind = ${query.kind}` : sql``}
    ${query.severity ? sql`and i.severity = ${query.severity}` : sql``}
    ${query.appId ? sql`and i.connection_id = ${query.appId}` : sql``}
    ${range ? sql`and i.last_seen_at >= ${range.from}::date and i.first_seen_at < ${range.to}::date + 1` : sql``}`;
  const { limit, offset } = window(query);
  const [counted, page] = await Promise.all([
    sql<{ n: number; saving: string | null }>`select count(*)::int as n, sum(i.saving)::text as saving from insights i where ${where}`.execute(db),
    // The page is sorted on narrow rows first; only its rows are read with their evidence and app.
    sql<Row>`${select(today)} where i.id in (select i.id from insights i where ${where} order by ${LIST_ORDER} limit ${limit} offset ${offset}) order by ${LIST_ORDER}`.execute(db),
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
    sql<Row>`${select(today)} where i.id in (select i.id from insights i where ${where} order by ${TOP_ORDER} limit 5) order by ${TOP_ORDER}`.execute(db),
  ]);
  const t = totals.rows[0]!;
  const top = best.rows;
  return { open: t.n, high: t.high, estimatedMonthlySaving: money(t.saving), top: top.map(insightOf) };
}
