import type { StreamDefinition } from '../../../sync/types.ts';
import { account } from './account.ts';
import { balance, billingHistory, invoiceItems, invoices } from './billing.ts';
import { droplets } from './droplets.ts';
import { dropletBandwidthInboundMetrics, dropletBandwidthOutboundMetrics, dropletCpuMetrics, dropletMemoryMetrics } from './metrics.ts';
import { projectResources, projects } from './projects.ts';
import { apps, databases, firewalls, kubernetesClusters, loadBalancers } from './services.ts';
import { snapshots, volumes } from './storage.ts';

/** DigitalOcean's streams, every parent before its children. */
export const streams: StreamDefinition[] = [
  account,
  droplets,
  volumes,
  snapshots,
  databases,
  apps,
  kubernetesClusters,
  loadBalancers,
  firewalls,
  projects,
  projectResources,
  dropletCpuMetrics,
  dropletBandwidthInboundMetrics,
  dropletBandwidthOutboundMetrics,
  dropletMemoryMetrics,
  balance,
  billingHistory,
  invoices,
  invoiceItems,
];
