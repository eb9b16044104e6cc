import { defineStream } from '../../../sync/types.ts';
import { App, Database, Firewall, KubernetesCluster, LoadBalancer } from '../schemas.ts';
import { pages } from './paging.ts';

/** Managed database clusters. The list is not paginated (the document gives it no page parameters). */
export const databases = defineStream({
  name: 'databases',
  provider: 'digitalocean',
  path: '/v2/databases',
  pagination: { kind: 'single', recordsKey: 'databases' },
  schema: Database,
  id: (d) => d.id,
});

export const apps = defineStream({
  name: 'apps',
  provider: 'digitalocean',
  path: '/v2/apps',
  pagination: pages('apps'),
  schema: App,
  id: (a) => a.id,
});

/** Clusters with their node pools and the worker droplets of each pool. */
export const kubernetesClusters = defineStream({
  name: 'kubernetes_clusters',
  provider: 'digitalocean',
  path: '/v2/kubernetes/clusters',
  pagination: pages('kubernetes_clusters'),
  schema: KubernetesCluster,
  id: (c) => c.id,
});

export const loadBalancers = defineStream({
  name: 'load_balancers',
  provider: 'digitalocean',
  path: '/v2/load_balancers',
  pagination: pages('load_balancers'),
  schema: LoadBalancer,
  id: (l) => l.id,
});

/** Cloud Firewalls and what they cover (by droplet id and by tag); a droplet none covers is open. */
export const firewalls = defineStream({
  name: 'firewalls',
  provider: 'digitalocean',
  path: '/v2/firewalls',
  pagination: pages('firewalls'),
  schema: Firewall,
  id: (f) => f.id,
});
