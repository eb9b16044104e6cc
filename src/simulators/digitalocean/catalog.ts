/**
 * DigitalOcean's public price list and region names, as far as the simulator needs them. Prices are
 * USD per month; usage bills by the hour and stops at 672 hours a month (DigitalOcean's pricing
 * page: "billed hourly up to a monthly cap").
 */

export const HOURS_BILLING_CAP = 672;

export interface DropletSize {
  slug: string;
  memory: number;
  vcpus: number;
  disk: number;
  transfer: number;
  priceMonthly: number;
  description: string;
}

export const DROPLET_SIZES: readonly DropletSize[] = [
  { slug: 's-1vcpu-1gb', memory: 1024, vcpus: 1, disk: 25, transfer: 1, priceMonthly: 6, description: 'Basic' },
  { slug: 's-1vcpu-2gb', memory: 2048, vcpus: 1, disk: 50, transfer: 2, priceMonthly: 12, description: 'Basic' },
  { slug: 's-2vcpu-2gb', memory: 2048, vcpus: 2, disk: 60, transfer: 3, priceMonthly: 18, description: 'Basic' },
  { slug: 's-2vcpu-4gb', memory: 4096, vcpus: 2, disk: 80, transfer: 4, priceMonthly: 24, description: 'Basic' },
  { slug: 's-4vcpu-8gb', memory: 8192, vcpus: 4, disk: 160, transfer: 5, priceMonthly: 48, description: 'Basic' },
  { slug: 'g-2vcpu-8gb', memory: 8192, vcpus: 2, disk: 25, transfer: 4, priceMonthly: 63, description: 'General Purpose' },
  { slug: 'c-4', memory: 8192, vcpus: 4, disk: 50, transfer: 5, priceMonthly: 84, description: 'CPU-Optimized' },
  { slug: 'm-2vcpu-16gb', memory: 16384, vcpus: 2, disk: 50, transfer: 4, priceMonthly: 84, description: 'Memory-Optimized' },
];

export function dropletSize(slug: string): DropletSize {
  const size = DROPLET_SIZES.find((s) => s.slug === slug);
  if (!size) throw new Error(`unknown droplet size ${slug}`);
  return size;
}

export const REGIONS: ReadonlyArray<{ slug: string; name: string }> = [
  { slug: 'nyc3', name: 'New York 3' },
  { slug: 'sfo3', name: 'San Francisco 3' },
  { slug: 'ams3', name: 'Amsterdam 3' },
  { slug: 'fra1', name: 'Frankfurt 1' },
  { slug: 'lon1', name: 'London 1' },
  { slug: 'sgp1', name: 'Singapore 1' },
];

export const REGION_FEATURES = ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'];

export const VOLUME_PRICE_PER_GB = 0.1;
export const SNAPSHOT_PRICE_PER_GB = 0.06;
export const LOAD_BALANCER_PRICE_PER_UNIT = 12;

export const DATABASE_SIZES: ReadonlyArray<{ slug: string; priceMonthlyPerNode: number }> = [
  { slug: 'db-s-1vcpu-1gb', priceMonthlyPerNode: 15 },
  { slug: 'db-s-1vcpu-2gb', priceMonthlyPerNode: 30 },
  { slug: 'db-s-2vcpu-4gb', priceMonthlyPerNode: 60 },
];

export const APP_TIERS: ReadonlyArray<{ slug: string; instanceSize: string; priceMonthly: number }> = [
  { slug: 'basic', instanceSize: 'apps-s-1vcpu-0.5gb', priceMonthly: 5 },
  { slug: 'basic', instanceSize: 'apps-s-1vcpu-1gb', priceMonthly: 12 },
  { slug: 'professional', instanceSize: 'apps-d-1vcpu-2gb', priceMonthly: 29 },
];

export const KUBERNETES_VERSION = '1.33.1-do.0';

export const IMAGE = {
  id: 191457505,
  name: '24.04 (LTS) x64',
  distribution: 'Ubuntu',
  slug: 'ubuntu-24-04-x64',
};
