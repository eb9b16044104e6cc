import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { TallyError } from '../../errors.ts';
import { bumpAnalyticsVersion } from '../cache.ts';
import { utcDay } from '../dates.ts';
import type { Finding } from './rules.ts';

/**
 * Saves the findings of some connections (all of each one's findings, by connection). A finding keeps its
 * row (id, state, note) by its key:
 * - found again: its facts are refreshed; dismissed and snoozed stay so; one resolved earlier that had
 *   gone away and came back is open again;
 * - no longer found: it is no longer current, and an open or snoozed one is resolved by Tally.
 */
export async function saveFindings(db: Database, organizationId: string, findings: Map<string, Finding[]>, now: Date): Promise<void> {
  const save = async (trx: Database) => {
    const connections = [...findings.keys()];
    if (!connections.length) return;
    const all = [...findings].flatMap(([connectionId, list]) => list.map((f) => ({ connectionId, f })));
    const keys = all.map((x) => x.f.key);
    // One statement for all of them: a DigitalOcean team can have hundreds of findings.
    const unique = [...new Map(all.map((x) => [x.f.key, x])).values()];
    const rows = unique.map(({ connectionId, f }) => ({
      connection_id: connectionId, key: f.key, kind: f.kind, severity: f.severity, title: f.title, summary: f.summary, subject_type: f.subjectType, subject_id: f.subjectId,
      subject_name: f.subjectName, evidence: f.evidence, saving: f.saving,
    }));
    if (rows.length) {
      await sql`
        insert into insights as i (organization_id, connection_id, key, kind, severity, title, summary, subject_type, subject_id, subject_name, evidence, saving, first_seen_at, last_seen_at)
        select ${organizationId}, r.connection_id, r.key, r.kind, r.severity, r.title, r.summary, r.subject_type, r.subject_id, r.subject_name, r.evidence, r.saving, ${now}::timestamptz, ${now}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(connection_id uuid, key text, kind text, severity text, title text, summary text, subject_type text, subject_id text, subject_name text, evidence jsonb, saving numeric)
        on conflict (organization_id, key) do update set
          severity = excluded.severity, title = excluded.title, summary = excluded.summary, subject_name = excluded.subject_name,
          evidence = excluded.evidence, saving = excluded.saving, last_seen_at = excluded.last_seen_at, current = true,
          state = case when i.state = 'resolved' and not i.current then 'open' else i.state end,
          state_note = case when i.state = 'resolved' and not i.current then 'Found again after it had been resolved.' else i.state_note end,
          state_changed_by = case when i.state = 'resolved' and not i.current then 'Tally' else i.state_changed_by end,
          state_changed_at = case when i.state = 'resolved' and not i.current then excluded.last_seen_at else i.state_changed_at end
        -- A finding found again as it was keeps its row untouched: a current insight was last seen by its
        -- connection's latest recompute (queries/insights.ts reads it from there), and the dashboard's
        -- reads stay within the index while the rows are unchanged.
        where not i.current
          or (i.severity, i.title, i.summary, i.subject_name, i.evidence, i.saving) is distinct from (excluded.severity, excluded.title, excluded.summary, excluded.subject_name, excluded.evidence, excluded.saving)`.execute(trx);
    }
    // Last seen by the connection's previous recompute, whose time analytics_state still holds.
    await sql`
      update insights set current = false,
        last_seen_at = coalesce((select s.computed_at from analytics_state s where s.connection_id = insights.connection_id), last_seen_at),
        state = case when state in ('open', 'snoozed') then 'resolved' else state end,
        state_note = case when state in ('open', 'snoozed') then ${`No longer found on ${utcDay(now)}.`} else state_note end,
        state_changed_by = case when state in ('open', 'snoozed') then 'Tally' else state_changed_by end,
        state_changed_at = case when state in ('open', 'snoozed') then ${now} else state_changed_at end
      where connection_id = any(${connections}::uuid[]) and current and not (key = any(${keys}::text[]))`.execute(trx);
  };
  // The recompute calls this inside its transaction; alone, it makes its own.
  await (db.isTransaction ? save(db) : db.transaction().execute(save));
}

/** An admin dismisses, snoozes, resolves or reopens an insight, with a note; the audit log keeps who did. */
export async function changeInsightState(
  db: Database,
  input: { organizationId: string; insightId: string; userId: string; userName: string; state: 'open' | 'dismissed' | 'snoozed' | 'resolved'; note?: string | undefined; snoozeUntil?: string | undefined; today: string },
): Promise<void> {
  if (input.state === 'snoozed' && (!input.snoozeUntil || input.snoozeUntil <= input.today)) {
    throw new TallyError('invalid_request', 'To snooze an insight, give snoozeUntil: a day after today (YYYY-MM-DD).');
  }
  if (input.state !== 'snoozed' && input.snoozeUntil) throw new TallyError('invalid_request', 'snoozeUntil only goes with the state "snoozed".');
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('insights')
      .set({
        state: input.state,
        state_note: input.note ?? null,
        state_changed_by: input.userName,
        state_changed_at: new Date(),
        snoozed_until: input.state === 'snoozed' ? input.snoozeUntil! : null,
      })
      .where('id', '=', input.insightId)
      .where('organization_id', '=', input.organizationId)
      .returning(['key'])
      .executeTakeFirst();
    if (!updated) throw new TallyError('not_found', 'That insight was not found. It may belong to a connection that was removed.');
    await trx
      .insertInto('audit_log')
      .values({ organization_id: input.organizationId, actor_user_id: input.userId, action: `insight.${input.state}`, target: updated.key, details: JSON.stringify({ note: input.note ?? null, snoozeUntil: input.snoozeUntil ?? null }) })
      .execute();
    // Cached answers never outlive the change: the version moves with it (last, so its row is locked only for the commit).
    await bumpAnalyticsVersion({ db: trx }, [input.organizationId]);
  });
}
