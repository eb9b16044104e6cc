import { DAY_MS, HOUR_MS } from '../core/clock.ts';
import { randomFor } from '../core/random.ts';
import {
  DATABASE_SIZES, HOURS_BILLING_CAP, LOAD_BALANCER_PRICE_PER_UNIT, SNAPSHOT_PRICE_PER_GB, VOLUME_PRICE_PER_GB, dropletSize,
} from './catalog.ts';
import type { DigitalOceanWorld } from './world.ts';

/** One thing that costs money, with the lifetime it is billed for. */
export interface Billable {
  product: string;
  category: 'iaas' | 'paas';
  resourceUuid: string;
  resourceId: string;
  groupDescription: string;
  description: string;
  region: string;
  sku: string;
  monthlyCents: number;
  createdAt: number;
  deletedAt: number | null;
  projectName: string;
}

export interface InvoiceLine extends Billable {
  hours: number;
  start: number;
  end: number;
  amountCents: number;
}

export interface Invoice {
  uuid: string;
  id: string;
  /** `YYYY-MM` */
  period: string;
  start: number;
  end: number;
  lines: InvoiceLine[];
  totalCents: number;
  updatedAt: number;
  /** The running month: not issued yet. */
  preview: boolean;
}

export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

const monthStart = (year: number, month: number) => Date.UTC(year, month, 1);

function monthOf(ms: number): { start: number; end: number; period: string } {
  const d = new Date(ms);
  const start = monthStart(d.getUTCFullYear(), d.getUTCMonth());
  const end = monthStart(d.getUTCFullYear(), d.getUTCMonth() + 1);
  return { start, end, period: new Date(start).toISOString().slice(0, 7) };
}

function billables(world: DigitalOceanWorld): Billable[] {
  const s = world.state;
  const projectName = (id: string) => s.projects.find((p) => p.id === id)?.name ?? '';
  const out: Billable[] = [];
  for (const d of s.droplets) {
    const size = dropletSize(d.sizeSlug);
    const cluster = d.kubernetesClusterId ? s.clusters.find((c) => c.id === d.kubernetesClusterId) : undefined;
    out.push({
      product: cluster ? 'Kubernetes Clusters' : 'Droplets', category: 'iaas', resourceUuid: randomFor(world.seed, 'do', 'droplet-uuid', d.id).uuid(),
      resourceId: String(d.id), groupDescription: cluster?.name ?? '', description: `${d.name} (${d.sizeSlug})`, region: d.region,
      sku: `1-DO-DROP-${d.sizeSlug.toUpperCase()}`, monthlyCents: (size.priceMonthly + (d.backups ? size.priceMonthly * 0.2 : 0)) * 100,
      createdAt: d.createdAt, deletedAt: d.deletedAt, projectName: projectName(d.projectId),
    });
  }
  for (const v of s.volumes)
    out.push({
      product: 'Volumes', category: 'iaas', resourceUuid: v.id, resourceId: v.id, groupDescription: '', description: `${v.name} (${v.sizeGigabytes} GiB)`,
      region: v.region, sku: '1-DO-VOL-GIB', monthlyCents: Math.round(v.sizeGigabytes * VOLUME_PRICE_PER_GB * 100),
      createdAt: v.createdAt, deletedAt: v.deletedAt, projectName: projectName(v.projectId),
    });
  for (const sn of s.snapshots)
    out.push({
      product: 'Snapshots', category: 'iaas', resourceUuid: randomFor(world.seed, 'do', 'snapshot-uuid', sn.id).uuid(), resourceId: sn.id,
      groupDescription: '', description: `${sn.name} (${sn.sizeGigabytes} GiB)`, region: sn.region, sku: '1-DO-SNAP-GIB',
      monthlyCents: Math.max(1, Math.round(sn.sizeGigabytes * SNAPSHOT_PRICE_PER_GB * 100)), createdAt: sn.createdAt, deletedAt: null,
      projectName: projectName(sn.projectId),
    });
  for (const db of s.databases) {
    const perNode = DATABASE_SIZES.find((x) => x.slug === db.sizeSlug)?.priceMonthlyPerNode ?? 15;
    out.push({
      product: 'Managed Databases', category: 'paas', resourceUuid: db.id, resourceId: db.id, groupDescription: '',
      description: `${db.name} (${db.sizeSlug} x${db.numNodes})`, region: db.region, sku: `1-DO-DBAAS-${db.engine.toUpperCase()}`,
      monthlyCents: perNode * db.numNodes * 100, createdAt: db.createdAt, deletedAt: db.deletedAt, projectName: projectName(db.projectId),
    });
  }
  for (const app of s.apps)
    out.push({
      product: 'App Platform', category: 'paas', resourceUuid: app.id, resourceId: app.id, groupDescription: '', description: `${app.name} (${app.instanceSize})`,
      region: app.region, sku: `1-DO-APPS-${app.tierSlug.toUpperCase()}`, monthlyCents: app.priceMonthly * 100,
      createdAt: app.createdAt, deletedAt: app.deletedAt, projectName: projectName(app.projectId),
    });
  for (const lb of s.loadBalancers)
    out.push({
      product: 'Load Balancers', category: 'iaas', resourceUuid: lb.id, resourceId: lb.id, groupDescription: '', description: `${lb.name} (${lb.sizeUnit} node)`,
      region: lb.region, sku: '1-DO-LB-UNIT', monthlyCents: lb.sizeUnit * LOAD_BALANCER_PRICE_PER_UNIT * 100,
      createdAt: lb.createdAt, deletedAt: lb.deletedAt, projectName: projectName(lb.projectId),
    });
  return out;
}

/** Started hours of use within [from, to): a partial hour bills as a whole one. */
function billedHours(b: Billable, from: number, to: number): number {
  const start = Math.max(b.createdAt, from);
  const end = Math.min(b.deletedAt ?? to, to);
  return end > start ? Math.ceil((end - start) / HOUR_MS) : 0;
}

function cents(b: Billable, hours: number): number {
  return Math.round((Math.min(hours, HOURS_BILLING_CAP) / HOURS_BILLING_CAP) * b.monthlyCents);
}

/** Invoices are computed from the model; a finished month never changes, so it is kept. */
export class Billing {
  readonly world: DigitalOceanWorld;
  #issued = new Map<string, Invoice>();

  constructor(world: DigitalOceanWorld) {
    this.world = world;
  }

  #invoice(monthMs: number, until: number, preview: boolean): Invoice {
    const { start, end, period } = monthOf(monthMs);
    const to = Math.min(end, until);
    const lines: InvoiceLine[] = [];
    for (const b of billables(this.world)) {
      const hours = billedHours(b, start, to);
      if (hours === 0) continue;
      lines.push({ ...b, hours, start: Math.max(b.createdAt, start), end: Math.min(b.deletedAt ?? to, to), amountCents: cents(b, hours) });
    }
    lines.sort((a, b) => a.product.localeCompare(b.product) || a.description.localeCompare(b.description));
    const random = randomFor(this.world.seed, 'do', 'invoice', period);
    return {
      uuid: random.uuid(), id: String(random.int(100_000_000, 999_999_999)), period, start, end, lines,
      totalCents: lines.reduce((sum, l) => sum + l.amountCents, 0), updatedAt: end + 2 * DAY_MS + random.int(0, 12 * 3600) * 1000, preview,
    };
  }

  /** Issued invoices, newest first: the 12 months before the epoch's month, then every month since. */
  invoices(): Invoice[] {
    const epoch = new Date(this.world.clock.epochMs);
    const first = monthStart(epoch.getUTCFullYear(), epoch.getUTCMonth() - 12);
    const out: Invoice[] = [];
    for (let cursor = monthOf(monthOf(this.world.clock.now()).start - 1).start; cursor >= first; cursor = monthOf(cursor - 1).start) {
      const period = monthOf(cursor).period;
      let invoice = this.#issued.get(period);
      if (!invoice) {
        invoice = this.#invoice(cursor, Number.POSITIVE_INFINITY, false);
        this.#issued.set(period, invoice);
      }
      out.push(invoice);
    }
    return out;
  }

  preview(): Invoice {
    const now = this.world.clock.now();
    return this.#invoice(now, now, true);
  }

  invoice(uuid: string): Invoice | null {
    return this.invoices().find((i) => i.uuid === uuid) ?? null;
  }

  /** Invoice and payment entries, newest first; each invoice is paid three days after it is issued. */
  history(): Array<{ description: string; amountCents: number; invoice: Invoice | null; date: number; type: 'Invoice' | 'Payment' }> {
    const now = this.world.clock.now();
    const out = [];
    for (const inv of this.invoices()) {
      const label = new Date(inv.start).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
      const paidAt = inv.end + 3 * DAY_MS;
      if (paidAt <= now) out.push({ description: 'Payment (MC 4242)', amountCents: -inv.totalCents, invoice: null, date: paidAt, type: 'Payment' as const });
      out.push({ description: `Invoice for ${label}`, amountCents: inv.totalCents, invoice: inv, date: inv.end, type: 'Invoice' as const });
    }
    return out;
  }

  /** What is owed: issued invoices not yet paid. */
  accountBalanceCents(): number {
    return this.history().reduce((sum, e) => sum + e.amountCents, 0);
  }

  /**
   * Daily usage per billable and day, uncapped, for whole days that have ended: like the real
   * insights it need not add up to the month's invoice (the invoice stops at 672 hours).
   */
  insights(fromDay: number, toDay: number): Array<{ day: number; billable: Billable; cents: number }> {
    const now = this.world.clock.now();
    const out = [];
    const all = billables(this.world);
    for (let day = fromDay; day <= toDay && day + DAY_MS <= now; day += DAY_MS)
      for (const b of all) {
        const hours = billedHours(b, day, day + DAY_MS);
        if (hours > 0) out.push({ day, billable: b, cents: Math.round((hours / HOURS_BILLING_CAP) * b.monthlyCents) });
      }
    return out.sort((a, b) => a.day - b.day || a.billable.sku.localeCompare(b.billable.sku) || a.billable.resourceId.localeCompare(b.billable.resourceId));
  }
}

