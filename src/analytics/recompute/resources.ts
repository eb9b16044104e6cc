import { sql } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addDays, daysBetween } from '../dates.ts';
import { dec, money } from '../money.ts';
import { usageByDroplet } from './usage.ts';

/**
 * DigitalOcean's resources as one table with cost and usage, rebuilt from the synced records of one
 * connection: droplets, volumes, snapshots, databases, apps, Kubernetes clusters, load balancers, firewalls,
 * plus products billed with no list of their own (Spaces, CDN) from the invoices.
 */

/** DigitalOcean's list prices where invoices do not cover a resource yet (docs.digitalocean.com pricing pages). */
export const VOLUME_PRICE_PER_GIB = '0.10';
export const SNAPSHOT_PRICE_PER_GIB = '0.06';
export const LOAD_BALANCER_PRICE_PER_NODE = '12.00';
/** A snapshot older than this is "old": kept long after the image it saved probably stopped mattering. */
export const OLD_SNAPSHOT_DAYS = 90;
/** Idle droplet: every sampled day's CPU p95 below this share, with at least MIN_IDLE_SAMPLED_DAYS days sampled. */
export const IDLE_CPU_P95 = 0.05;
export const MIN_IDLE_SAMPLED_DAYS = 7;

type Row = { stream: string; external_id: string; data: any; deleted_at: Date | null; first_seen_at: Date };
type Resource = {
  resource_id: string;
  type: string;
  name: string;
  region: string | null;
  project: string | null;
  size: string | null;
  created_at: string | null;
  deleted_at: Date | null;
  list_price: string | null;
  provider_id: string;
  urn: string | null;
  details: Record<string, unknown>;
};

const TYPES: Record<string, { type: string; urn: string | null }> = {
  droplets: { type: 'droplet', urn: 'droplet' },
  volumes: { type: 'volume', urn: 'volume' },
  snapshots: { type: 'snapshot', urn: null },
  databases: { type: 'database', urn: 'dbaas' },
  apps: { type: 'app', urn: 'app' },
  kubernetes_clusters: { type: 'kubernetes', urn: 'kubernetes' },
  load_balancers: { type: 'load_balancer', urn: 'loadbalancer' },
  firewalls: { type: 'firewall', urn: null },
};

function describe(r: Row): Resource {
  const d = r.data;
  const kind = TYPES[r.stream]!;
  const base = { resource_id: `${kind.type}:${r.external_id}`, type: kind.type, provider_id: r.external_id, urn: kind.urn ? `do:${kind.urn}:${r.external_id}` : null, deleted_at: r.deleted_at, project: null, details: {} };
  const created = (d.created_at as string | undefined) ?? null;
  switch (r.stream) {
    case 'droplets':
      return { ...base, name: d.name, region: d.region?.slug ?? null, size: d.size_slug, created_at: created, list_price: d.size?.price_monthly === undefined ? null : money(String(d.size.price_monthly)), details: { tags: d.tags ?? [], kubernetes: (d.tags ?? []).some((t: string) => t.startsWith('k8s')) } };
    case 'volumes':
      return { ...base, name: d.name, region: d.region?.slug ?? null, size: `${d.size_gigabytes} GiB`, created_at: created, list_price: money(dec(d.size_gigabytes).times(VOLUME_PRICE_PER_GIB)), details: { dropletIds: d.droplet_ids ?? [] } };
    case 'snapshots':
      return { ...base, name: d.name, region: d.regions?.[0] ?? null, size: `${d.size_gigabytes} GiB`, created_at: created, list_price: money(dec(d.size_gigabytes).times(SNAPSHOT_PRICE_PER_GIB)), details: { of: `${d.resource_type}:${d.resource_id}` } };
    case 'databases':
      return { ...base, name: d.name, region: d.region ?? null, size: `${d.size} ×${d.num_nodes}`, created_at: created, list_price: null, details: { engine: d.engine } };
    case 'apps':
      return { ...base, name: d.spec?.name ?? r.external_id, region: d.region?.slug ?? null, size: d.tier_slug ?? null, created_at: created, list_price: null, details: {} };
    case 'kubernetes_clusters':
      return { ...base, name: d.name, region: d.region ?? null, size: `${(d.node_pools ?? []).reduce((n: number, p: { count: number }) => n + p.count, 0)} nodes`, created_at: created, list_price: null, details: {} };
    case 'load_balancers':
      return { ...base, name: d.name, region: d.region?.slug ?? null, size: d.size ?? (d.size_unit ? `${d.size_unit} node` : null), created_at: created, list_price: d.size_unit ? money(dec(d.size_unit).times(LOAD_BALANCER_PRICE_PER_NODE)) : null, details: {} };
    default:
      return { ...base, name: d.name, region: null, size: null, created_at: created, list_price: '0.00', details: { dropletIds: d.droplet_ids ?? [], tags: d.tags ?? [] } };
  }
}

/** Spaces, CDN and other products billed without a list to read them from. */
function billedOnlyType(product: string): string | null {
  const p = product.toLowerCase();
  if (p.includes('spaces')) return 'spaces';
  if (p.includes('cdn')) return 'cdn';
  return null;
}

export async function refreshResources(db: Database, c: { id: string; organizationId: string }, today: string): Promise<void> {
  const rows = (
    await sql<Row>`select stream, external_id, data, deleted_at, first_seen_at from sync_records
      where connection_id = ${c.id} and stream in ('droplets', 'volumes', 'snapshots', 'databases', 'apps', 'kubernetes_clusters', 'load_balancers', 'firewalls', 'projects', 'project_resources')`.execute(db)
  ).rows;
  const projects = new Map(rows.filter((r) => r.stream === 'projects').map((r) => [r.external_id, r.data.name as string]));
  const projectOfUrn = new Map(rows.filter((r) => r.stream === 'project_resources' && !r.deleted_at).map((r) => [r.data.urn as string, projects.get(r.data.project_id) ?? null]));
  const resources = rows.filter((r) => TYPES[r.stream]).map(describe);
  for (const r of resources) r.project = r.urn ? (projectOfUrn.get(r.urn) ?? null) : null;

  // The latest issued invoice: what each resource was billed for a whole month.
  const latest = (await sql<{ invoice_uuid: string; period: string }>`select external_id as invoice_uuid, data->>'invoice_period' as period from sync_records
      where connection_id = ${c.id} and stream = 'invoices' and deleted_at is null and (data->>'preview')::boolean is not true
      order by data->>'invoice_period' desc limit 1`.execute(db)).rows[0];
  const billed = new Map<string, { amount: string; product: string; project: string | null; description: string }>();
  if (latest) {
    const items = (await sql<{ id: string; product: string; project: string | null; description: string; amount: string }>`
      select coalesce(nullif(data->>'resource_id', ''), nullif(data->>'resource_uuid', ''), data->>'description') as id, data->>'product' as product,
             data->>'project_name' as project, data->>'description' as description, sum((data->>'amount')::numeric)::text as amount
      from sync_records where connection_id = ${c.id} and stream = 'invoice_items' and deleted_at is null and parent_id = ${latest.invoice_uuid}
      group by 1, 2, 3, 4`.execute(db)).rows;
    for (const i of items) billed.set(i.id, i);
  }
  const monthStartOfLatest = latest ? `${latest.period}-01` : null;
  const usage = await usageByDroplet(db, c.id, today);
  const firewalls = resources.filter((r) => r.type === 'firewall' && !r.deleted_at);
  const coveredIds = new Set(firewalls.flatMap((f) => (f.details.dropletIds as number[]).map(String)));
  const coveredTags = new Set(firewalls.flatMap((f) => f.details.tags as string[]));

  const out = resources.map((r) => {
    const invoice = billed.get(r.provider_id);
    billed.delete(r.provider_id);
    // A resource created during the invoiced month was billed for part of it: its list price says more.
    const wholeMonth = invoice && monthStartOfLatest !== null && (r.created_at === null || r.created_at.slice(0, 10) <= monthStartOfLatest);
    const useInvoice = invoice && (wholeMonth || r.list_price === null);
    const u = r.type === 'droplet' ? usage.get(r.provider_id) : undefined;
    const flags: string[] = [];
    if (!r.deleted_at) {
      if (u && u.sampled14 >= MIN_IDLE_SAMPLED_DAYS && u.maxP95_14 !== null && u.maxP95_14 < IDLE_CPU_P95) flags.push('idle');
      if (r.type === 'droplet' && !coveredIds.has(r.provider_id) && !(r.details.tags as string[]).some((t) => coveredTags.has(t))) flags.push('no_firewall');
      if (r.type === 'volume' && (r.details.dropletIds as unknown[]).length === 0) flags.push('unattached');
      if (r.type === 'snapshot' && r.created_at && daysBetween(r.created_at.slice(0, 10), today) > OLD_SNAPSHOT_DAYS) flags.push('old_snapshot');
    }
    return {
      connection_id: c.id,
      organization_id: c.organizationId,
      resource_id: r.resource_id,
      type: r.type,
      name: r.name,
      region: r.region,
      project: r.project ?? invoice?.project ?? null,
      size: r.size,
      created_at: r.created_at,
      deleted_at: r.deleted_at,
      monthly_cost: useInvoice ? money(invoice.amount) : r.list_price,
      cost_source: useInvoice ? ('invoice' as const) : r.list_price !== null ? ('list_price' as const) : null,
      usage: u ? { d14: u.d14, d30: u.d30 } : {},
      flags,
      details: r.details,
    };
  });
  for (const [id, item] of billed) {
    const type = billedOnlyType(item.product);
    if (!type) continue;
    out.push({
      connection_id: c.id, organization_id: c.organizationId, resource_id: `${type}:${id}`, type, name: item.description, region: null, project: item.project,
      size: null, created_at: null, deleted_at: null, monthly_cost: money(item.amount), cost_source: 'invoice', usage: {}, flags: [], details: {},
    });
  }
  // Most resources are as they were: write only what changed, and drop what is gone.
  await sql`
    with r as (
      select * from jsonb_to_recordset(${JSON.stringify(out)}::jsonb) as x(resource_id text, type text, name text, region text, project text, size text, created_at timestamptz,
        deleted_at timestamptz, monthly_cost numeric, cost_source text, usage jsonb, flags text[], details jsonb)
    ), gone as (
      delete from cloud_resources cr where cr.connection_id = ${c.id} and not exists (select 1 from r where r.resource_id = cr.resource_id)
    )
    insert into cloud_resources as cr (connection_id, organization_id, resource_id, type, name, region, project, size, created_at, deleted_at, monthly_cost, cost_source, usage, flags, details)
    select ${c.id}, ${c.organizationId}, resource_id, type, name, region, project, size, created_at, deleted_at, monthly_cost, cost_source, usage, flags, details from r
    on conflict (connection_id, resource_id) do update set type = excluded.type, name = excluded.name, region = excluded.region, project = excluded.project,
      size = excluded.size, created_at = excluded.created_at, deleted_at = excluded.deleted_at, monthly_cost = excluded.monthly_cost,
      cost_source = excluded.cost_source, usage = excluded.usage, flags = excluded.flags, details = excluded.details
    where (cr.type, cr.name, cr.region, cr.project, cr.size, cr.created_at, cr.deleted_at, cr.monthly_cost, cr.cost_source, cr.usage, cr.flags, cr.details)
      is distinct from (excluded.type, excluded.name, excluded.region, excluded.project, excluded.size, excluded.created_at, excluded.deleted_at, excluded.monthly_cost,
        excluded.cost_source, excluded.usage, excluded.flags, excluded.details)`.execute(db);
  // How many of each type are alive, for the apps list, the Overview and feature adoption: the resources'
  // rows are rewritten every day (their usage windows move), so counting them at read time reads them all.
  await sql`delete from app_resource_counts where connection_id = ${c.id}`.execute(db);
  await sql`
    insert into app_resource_counts (connection_id, type, alive)
    select connection_id, type, count(*) from cloud_resources where connection_id = ${c.id} and deleted_at is null group by 1, 2`.execute(db);
}

/**
 * The daily part of refreshResources() alone, for a day on which no resource, project or invoice record
 * changed (only monitoring days and the date moved): each droplet's usage windows, whether it is idle,
 * and which snapshots are now old; the flags that depend on the records (no firewall, unattached) stay.
 * What it writes is what refreshResources() would (for timestamps given in UTC, as DigitalOcean's are).
 */
export async function refreshUsage(db: Database, c: { id: string }, today: string): Promise<void> {
  const [usage, rows] = await Promise.all([
    usageByDroplet(db, c.id, today),
    sql<{ resource_id: string; type: string; created_at: Date | null; deleted_at: Date | null; flags: string[] }>`
      select resource_id, type, created_at, deleted_at, flags from cloud_resources where connection_id = ${c.id} and (type in ('droplet', 'snapshot') or cardinality(flags) > 0)`.execute(db),
  ]);
  const out = rows.rows.map((r) => {
    const u = r.type === 'droplet' ? usage.get(r.resource_id.slice('droplet:'.length)) : undefined;
    const flags: string[] = [];
    if (!r.deleted_at) {
      if (u && u.sampled14 >= MIN_IDLE_SAMPLED_DAYS && u.maxP95_14 !== null && u.maxP95_14 < IDLE_CPU_P95) flags.push('idle');
      for (const kept of ['no_firewall', 'unattached']) if (r.flags.includes(kept)) flags.push(kept);
      if (r.type === 'snapshot' && r.created_at && daysBetween(r.created_at.toISOString().slice(0, 10), today) > OLD_SNAPSHOT_DAYS) flags.push('old_snapshot');
    }
    return { resource_id: r.resource_id, usage: r.type === 'droplet' ? (u ? { d14: u.d14, d30: u.d30 } : {}) : null, flags };
  });
  await sql`
    update cloud_resources cr set usage = coalesce(x.usage, cr.usage), flags = x.flags
    from jsonb_to_recordset(${JSON.stringify(out)}::jsonb) as x(resource_id text, usage jsonb, flags text[])
    where cr.connection_id = ${c.id} and cr.resource_id = x.resource_id and (cr.usage, cr.flags) is distinct from (coalesce(x.usage, cr.usage), x.flags)`.execute(db);
}
