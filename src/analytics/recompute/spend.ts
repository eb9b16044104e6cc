import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addMonths, monthStart } from '../dates.ts';
import { dec, money, sum } from '../money.ts';

type Line = { connection_id: string; organization_id: string; month: string; product: string; project: string; source: 'invoice' | 'preview' | 'seats'; amount: string };

/** Invoice totals that the synced line items do not add up to (credits, taxes) are kept as this product. */
export const ADJUSTMENT_PRODUCT = 'Adjustments, credits and taxes';
/** The running month at DigitalOcean before it is itemised. */
export const PREVIEW_PRODUCT = 'Usage to date (not itemised yet)';

/**
 * DigitalOcean spend as billed: each issued invoice's line items by product and project, plus whatever the
 * invoice total holds beyond them; the running month from the invoice preview. Never list price × hours.
 */
async function digitaloceanLines(db: Database, c: { id: string; organizationId: string }): Promise<Line[]> {
  const invoices = (
    await sql<{ uuid: string; period: string; amount: string; preview: boolean }>`
      select external_id as uuid, data->>'invoice_period' as period, (data->>'amount')::numeric::text as amount, coalesce((data->>'preview')::boolean, false) as preview
      from sync_records where connection_id = ${c.id} and stream = 'invoices' and deleted_at is null`.execute(db)
  ).rows;
  const items = (
    await sql<{ invoice_uuid: string; product: string; project: string; amount: string }>`
      select data->>'invoice_uuid' as invoice_uuid, data->>'product' as product, coalesce(data->>'project_name', '') as project, sum((data->>'amount')::numeric)::text as amount
      from sync_records where connection_id = ${c.id} and stream = 'invoice_items' and deleted_at is null group by 1, 2, 3`.execute(db)
  ).rows;
  const byInvoice = new Map<string, typeof items>();
  for (const i of items) byInvoice.set(i.invoice_uuid, [...(byInvoice.get(i.invoice_uuid) ?? []), i]);
  const lines: Line[] = [];
  const base = { connection_id: c.id, organization_id: c.organizationId };
  for (const inv of invoices) {
    const month = `${inv.period}-01`;
    if (inv.preview) {
      lines.push({ ...base, month, product: PREVIEW_PRODUCT, project: '', source: 'preview', amount: money(inv.amount) });
      continue;
    }
    const own = byInvoice.get(inv.uuid) ?? [];
    for (const i of own) lines.push({ ...base, month, product: i.product, project: i.project, source: 'invoice', amount: money(i.amount) });
    const rest = dec(inv.amount).minus(sum(own.map((i) => i.amount)));
    if (!rest.isZero()) lines.push({ ...base, month, product: ADJUSTMENT_PRODUCT, project: '', source: 'invoice', amount: money(rest) });
  }
  return lines;
}

/**
 * Bitbucket exposes no plan or billing API: spend is seats × the admin-entered price per seat, for each
 * month since Tally first synced the workspace (earlier seat counts are unknown). A month's seats are the
 * members Tally saw during it; the admin's seat count override replaces them.
 */
async function seatLines(db: Database, c: { id: string; organizationId: string }, today: string): Promise<Line[]> {
  const settings = await db.selectFrom('app_settings').selectAll().where('connection_id', '=', c.id).executeTakeFirst();
  if (!settings?.price_per_seat) return [];
  const first = await sql<{ first: Date | null }>`select min(first_seen_at) as first from sync_records where connection_id = ${c.id} and stream = 'members'`.execute(db);
  const firstSeen = first.rows[0]?.first;
  if (!firstSeen && settings.seat_count_override === null) return [];
  const lines: Line[] = [];
  const current = monthStart(today);
  for (let m = monthStart(firstSeen ? firstSeen.toISOString().slice(0, 10) : today); m <= current; m = addMonths(m, 1)) {
    const next = addMonths(m, 1);
    const seats =
      settings.seat_count_override ??
      (
        await sql<{ n: number }>`select count(distinct data->'user'->>'uuid')::int as n from sync_records
          where connection_id = ${c.id} and stream = 'members' and first_seen_at < ${next}::date and (deleted_at is null or deleted_at >= ${m}::date)`.execute(db)
      ).rows[0]!.n;
    lines.push({ connection_id: c.id, organization_id: c.organizationId, month: m, product: settings.plan_name ?? 'Seats', project: '', source: 'seats', amount: money(dec(settings.price_per_seat).times(seats)) });
  }
  return lines;
}

export async function refreshSpend(db: Database, c: { id: string; organizationId: string; provider: string }, today: string): Promise<void> {
  const lines = c.provider === 'digitalocean' ? await digitaloceanLines(db, c) : await seatLines(db, c, today);
  // Several items can share (month, product, project) once grouped: sum them into one row.
  const merged = new Map<string, Line>();
  for (const l of lines) {
    const key = [l.month, l.product, l.project, l.source].join('\u0000');
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, amount: money(dec(prev.amount).plus(l.amount)) } : l);
  }
  await db.deleteFrom('spend_monthly').where('connection_id', '=', c.id).execute();
  const rows = [...merged.values()];
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('spend_monthly').values(rows.slice(i, i + 500)).execute();
}
