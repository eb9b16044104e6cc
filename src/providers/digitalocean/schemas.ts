import { z } from 'zod';

/**
 * DigitalOcean API v2 records as Tally reads them (shapes from DigitalOcean's OpenAPI document). Every
 * object is loose: fields Tally does not read pass through untouched, and a new field never fails a record.
 * Money arrives as strings (`"12.34"`) and stays a string; only the size catalog's prices are JSON numbers
 * at DigitalOcean, and they stay numbers here (analytics spend comes from invoices, not from them).
 */

const Region = z.looseObject({ slug: z.string() });
const Tags = z.array(z.string()).nullable().optional();
const Ids = z.array(z.number().int()).nullable().optional();

export const Account = z.looseObject({
  uuid: z.string(),
  email: z.string(),
  name: z.string().optional(),
  status: z.string(),
  team: z.looseObject({ uuid: z.string(), name: z.string() }).optional(),
});

export const Droplet = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  created_at: z.string(),
  memory: z.number(),
  vcpus: z.number(),
  disk: z.number(),
  features: z.array(z.string()),
  size_slug: z.string(),
  size: z.looseObject({ slug: z.string(), price_monthly: z.number(), price_hourly: z.number() }),
  region: Region,
  tags: z.array(z.string()),
  volume_ids: z.array(z.string()),
});

export const Volume = z.looseObject({
  id: z.string(),
  name: z.string(),
  /** Empty when the volume is attached to nothing (still billed). */
  droplet_ids: Ids,
  size_gigabytes: z.number(),
  created_at: z.string(),
  region: Region.nullable().optional(),
  tags: Tags,
});

export const Snapshot = z.looseObject({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  resource_id: z.string(),
  resource_type: z.string(),
  size_gigabytes: z.number(),
  regions: z.array(z.string()),
  tags: Tags,
});

export const Database = z.looseObject({
  id: z.string(),
  name: z.string(),
  engine: z.string(),
  num_nodes: z.number().int(),
  size: z.string(),
  region: z.string(),
  status: z.string().optional(),
  created_at: z.string().optional(),
  project_id: z.string().optional(),
  tags: Tags,
});

export const App = z.looseObject({
  id: z.string(),
  spec: z.looseObject({ name: z.string() }),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  tier_slug: z.string().optional(),
  project_id: z.string().optional(),
});

const NodePool = z.looseObject({
  id: z.string(),
  name: z.string(),
  size: z.string(),
  count: z.number().int(),
  /** The worker droplets; `droplet_id` is a string here although droplet ids are numbers elsewhere. */
  nodes: z.array(z.looseObject({ id: z.string(), droplet_id: z.string().nullable().optional() })).nullable().optional(),
});

export const KubernetesCluster = z.looseObject({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  version: z.string(),
  created_at: z.string(),
  node_pools: z.array(NodePool),
  tags: Tags,
});

export const LoadBalancer = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  created_at: z.string(),
  size_unit: z.number().int().optional(),
  size: z.string().optional(),
  region: Region.optional(),
  project_id: z.string().optional(),
  /** A load balancer targets droplets by id or by `tag`, never both. */
  droplet_ids: Ids,
  tag: z.string().optional(),
});

export const Firewall = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  created_at: z.string(),
  /** A droplet is covered when it is listed here or carries one of `tags`. */
  droplet_ids: Ids,
  tags: Tags,
});

export const Project = z.looseObject({
  id: z.string(),
  name: z.string(),
  owner_uuid: z.string().optional(),
  environment: z.string().optional(),
  is_default: z.boolean(),
  created_at: z.string(),
  updated_at: z.string().optional(),
});

export const ProjectResource = z.looseObject({
  /** Added by the stream: the resource list does not name its project. */
  project_id: z.string(),
  /** `do:droplet:<id>`, `do:volume:<uuid>`, `do:dbaas:<uuid>`, ... */
  urn: z.string(),
  assigned_at: z.string(),
  status: z.string().optional(),
});

export const Balance = z.looseObject({
  month_to_date_balance: z.string(),
  account_balance: z.string(),
  month_to_date_usage: z.string(),
  generated_at: z.string(),
});

export const BillingHistoryEntry = z.looseObject({
  description: z.string(),
  amount: z.string(),
  invoice_id: z.string().optional(),
  invoice_uuid: z.string().optional(),
  date: z.string(),
  type: z.string(),
});

export const Invoice = z.looseObject({
  invoice_uuid: z.string(),
  invoice_id: z.string(),
  amount: z.string(),
  /** `YYYY-MM`. */
  invoice_period: z.string(),
  updated_at: z.string().optional(),
  /** Added by the stream: true for the running month's `invoice_preview`, which has no line items yet. */
  preview: z.boolean(),
});

export const InvoiceItem = z.looseObject({
  /** Added by the stream: the items list does not repeat its invoice. */
  invoice_uuid: z.string(),
  product: z.string(),
  resource_uuid: z.string().optional(),
  resource_id: z.string().optional(),
  group_description: z.string().optional(),
  description: z.string(),
  amount: z.string(),
  duration: z.string().optional(),
  duration_unit: z.string().optional(),
  start_time: z.string(),
  end_time: z.string(),
  project_name: z.string().optional(),
});

/** The monitoring API's answer: a Prometheus matrix, one series per label set. */
export const MetricsResponse = z.looseObject({
  status: z.string(),
  data: z.looseObject({
    resultType: z.string(),
    result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

const DayRecord = { droplet_id: z.number().int(), day: z.iso.date(), samples: z.number().int().positive() };

/** CPU busy share (0..1) of one droplet over one UTC day, from the cumulative per-mode CPU seconds. */
export const DropletCpuDay = z.looseObject({
  ...DayRecord,
  cpu_avg: z.number().min(0).max(1),
  cpu_p95: z.number().min(0).max(1),
  cpu_max: z.number().min(0).max(1),
});

/** Public traffic of one droplet in one direction over one UTC day. */
export const DropletBandwidthDay = z.looseObject({
  ...DayRecord,
  direction: z.enum(['inbound', 'outbound']),
  bytes: z.number().int().nonnegative(),
  avg_mbps: z.number().nonnegative(),
  max_mbps: z.number().nonnegative(),
});

/** Memory of one droplet over one UTC day, as the monitoring agent reports it. */
export const DropletMemoryDay = z.looseObject({
  ...DayRecord,
  memory_total_bytes: z.number().nonnegative(),
  memory_available_avg_bytes: z.number().nonnegative(),
  memory_available_min_bytes: z.number().nonnegative(),
  /** Share of memory in use on average, 1 - available / total. */
  memory_used_avg: z.number().min(0).max(1),
});
