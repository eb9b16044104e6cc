import { sql } from 'kysely';
import type { Resource } from '../../api/contracts/analytics.ts';
import type { ProviderSlug } from '../../api/contracts/connections.ts';
import type { Database } from '../../store/database.ts';
import { TallyError } from '../../errors.ts';
import { addDays, addMonths, monthStart, rangeOf } from '../dates.ts';
import { money, moneyOrNull } from '../money.ts';
import { appName } from './apps-shared.ts';
import { pageOf, window, type Page } from './page.ts';

type Row = {
  connection_id: string; provider: ProviderSlug; account: unknown; resource_id: string; type: string; name: string; region: string | null; project: string | null;
  size: string | null; created_at: Date | null; deleted_at: Date | null; monthly_cost: string | null; cost_source: 'invoice' | 'list_price' | null; usage: any; flags: string[];
};

function resourceOf(r: Row, days: '14' | '30'): Resource {
  const u = r.usage?.[`d${days}`];
  return {
    resourceId: r.resource_id,
    app: { appId: r.connection_id, provider: r.provider, name: appName(r.provider, r.account) },
    type: r.type,
    name: r.name,
    region: r.region,
    project: r.project,
    size: r.size,
    createdAt: r.created_at?.toISOString() ?? null,
    deletedAt: r.deleted_at?.toISOString() ?? null,
    monthlyCost: moneyOrNull(r.monthly_cost),
    costSource: r.cost_source,
    usage: {
      days: Number(days),
      sampledDays: u?.sampledDays ?? 0,
      cpuAvg: u?.cpuAvg ?? null,
      cpuP95: u?.cpuP95 ?? null,
      bandwidthBytes: u?.bandwidthBytes ?? null,
      memoryUsedAvg: u?.memoryUsedAvg ?? null,
    },
    idle: r.flags.includes('idle'),
    flags: r.flags as Resource['flags'],
  };
}

const select = sql`select r.*, c.provider, c.account from cloud_resources r join connections c on c.id = r.connection_id`;

type ResourcesQ = { appId?: string | undefined; type?: string | undefined; project?: string | undefined; region?: string | undefined; flag?: string | undefined; days: '14' | '30'; from?: string | undefined; to?: string | undefined; limit: number; offset: number; format: 'json' | 'csv' };

/** GET .../resources: every cloud resource with cost and usage, costliest first. */
export async function resourcesList(db: Database, organizationId: string, query: ResourcesQ, today: string): Promise<Page<Resource>> {
  const range = query.from || query.to ? rangeOf(query, today, 30) : null;
  const where = sql`r.organization_id = ${organizationId}
    ${query.appId ? sql`and r.connection_id = ${query.appId}` : sql``}
    ${query.type ? sql`and r.type = ${query.type}` : sql``}
    ${query.project ? sql`and r.project = ${query.project}` : sql``}
    ${query.region ? sql`and r.region = ${query.region}` : sql``}
    ${query.flag ? sql`and ${query.flag} = any(r.flags)` : sql``}
    ${range ? sql`and coalesce(r.created_at, '-infinity') <= ${addDays(range.to, 1)}::date and (r.deleted_at is null or r.deleted_at >= ${range.from}::date)` : sql`and r.deleted_at is null`}`;
  const filtered = query.appId || query.type || query.project || query.region || query.flag || range;
  // Every live resource: as counted by the recompute (app_resource_counts).
  const counted = filtered
    ? sql<{ n: number }>`select count(*)::int as n from cloud_resources r where ${where}`
    : sql<{ n: number }>`select coalesce(sum(k.alive), 0)::int as n from app_resource_counts k join connections c on c.id = k.connection_id where c.organization_id = ${organizationId}`;
  const { limit, offset } = window(query);
  const [total, page] = await Promise.all([
    counted.execute(db),
    // The page is picked in the (organization, cost, id) index of live resources; only its rows are read in
    // full. Several apps can have a resource of the same id: the app settles ties.
    sql<Row>`${select} where (r.connection_id, r.resource_id) in (
        select r.connection_id, r.resource_id from cloud_resources r where ${where} order by r.monthly_cost desc nulls last, r.resource_id, r.connection_id limit ${limit} offset ${offset})
      order by r.monthly_cost desc nulls last, r.resource_id, r.connection_id`.execute(db),
  ]);
  const rows = page.rows;
  return pageOf(rows.map((r) => resourceOf(r, query.days)), total.rows[0]!.n, query);
}

/** GET .../resources/:resourceId: one resource with its daily usage and monthly cost. */
export async function resourceDetail(db: Database, organizationId: string, resourceId: string, query: { from?: string | undefined; to?: string | undefined; days: '14' | '30' }, today: string) {
  const row = (await sql<Row>`${select} where r.organization_id = ${organizationId} and r.resource_id = ${resourceId} order by r.deleted_at nulls first limit 1`.execute(db)).rows[0];
  if (!row) throw new TallyError('not_found', 'That resource was not found in this organization. Pick one from the resources list.');
  const { from, to } = rangeOf(query, today, 30, 366);
  const [type, providerId] = [row.type, row.resource_id.slice(row.type.length + 1)];
  const daily =
    type === 'droplet'
      ? (
          await sql<{ day: string; cpu_avg: number | null; cpu_p95: number | null; bytes: number | null; mem: number | null }>`
            select data->>'day' as day,
              max((data->>'cpu_avg')::float8) filter (where stream = 'droplet_cpu_metrics') as cpu_avg,
              max((data->>'cpu_p95')::float8) filter (where stream = 'droplet_cpu_metrics') as cpu_p95,
              sum((data->>'bytes')::float8) filter (where stream like 'droplet_bandwidth_%') as bytes,
              max((data->>'memory_used_avg')::float8) filter (where stream = 'droplet_memory_metrics') as mem
            from sync_records
            where connection_id = ${row.connection_id} and parent_id = ${providerId}
              and stream in ('droplet_cpu_metrics', 'droplet_bandwidth_inbound_metrics', 'droplet_bandwidth_outbound_metrics', 'droplet_memory_metrics')
              and data->>'day' between ${from} and ${to}
            group by 1 order by 1`.execute(db)
        ).rows
      : [];
  const monthly = (
    await sql<{ month: string; amount: string }>`
      select i.data->>'invoice_period' as month, sum((it.data->>'amount')::numeric)::text as amount
      from sync_records it join sync_records i on i.connection_id = it.connection_id and i.stream = 'invoices' and i.external_id = it.data->>'invoice_uuid'
      where it.connection_id = ${row.connection_id} and it.stream = 'invoice_items' and it.deleted_at is null
        and (it.data->>'resource_id' = ${providerId} or it.data->>'resource_uuid' = ${providerId})
        and i.data->>'invoice_period' >= ${addMonths(monthStart(today), -12).slice(0, 7)}
      group by 1 order by 1`.execute(db)
  ).rows;
  return {
    resource: resourceOf(row, query.days),
    daily: daily.map((d) => ({ day: d.day, cpuAvg: d.cpu_avg, cpuP95: d.cpu_p95, bandwidthBytes: d.bytes === null ? null : Math.round(d.bytes), memoryUsedAvg: d.mem })),
    monthly: monthly.map((m) => ({ month: m.month, amount: money(m.amount) })),
  };
}
