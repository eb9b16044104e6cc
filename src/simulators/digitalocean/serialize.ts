import { DAY_MS, digitaloceanTime as time } from '../core/clock.ts';
import { randomFor } from '../core/random.ts';
import { DROPLET_SIZES, IMAGE, KUBERNETES_VERSION, REGIONS, REGION_FEATURES, dropletSize } from './catalog.ts';
import type {
  DoApp, DoDatabase, DoDroplet, DoFirewall, DoKubernetesCluster, DoLoadBalancer, DoProject, DoSnapshot, DoTeam, DoUser,
  DoVolume,
} from './model.ts';

/** JSON shapes of DigitalOcean's API v2 resources (see the `droplet`, `volume_full`, ... schemas). */

export function region(slug: string) {
  return {
    name: REGIONS.find((r) => r.slug === slug)?.name ?? slug,
    slug,
    features: REGION_FEATURES,
    available: true,
    sizes: DROPLET_SIZES.map((s) => s.slug),
  };
}

export function account(user: DoUser, team: DoTeam) {
  return {
    droplet_limit: 25,
    floating_ip_limit: 3,
    email: user.email,
    name: user.name,
    uuid: user.uuid,
    email_verified: true,
    status: 'active',
    status_message: '',
    team: { uuid: team.uuid, name: team.name },
  };
}

export function droplet(d: DoDroplet, volumeIds: string[], snapshotIds: number[], seed: number, now: number) {
  const size = dropletSize(d.sizeSlug);
  // Backups start in a window on the next day.
  const window = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  return {
    id: d.id,
    name: d.name,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    disk_info: [{ type: 'local', size: { amount: size.disk, unit: 'gib' } }],
    locked: false,
    status: d.status,
    kernel: null,
    created_at: time(d.createdAt),
    features: ['monitoring', 'droplet_agent', 'private_networking', ...(d.backups ? ['backups'] : [])],
    backup_ids: d.backups ? [randomFor(seed, 'do', 'backup', d.id).int(160_000_000, 169_999_999)] : [],
    next_backup_window: d.backups ? { start: time(window), end: time(window + 23 * 3_600_000) } : null,
    snapshot_ids: snapshotIds,
    image: {
      id: IMAGE.id,
      name: IMAGE.name,
      type: 'base',
      distribution: IMAGE.distribution,
      slug: IMAGE.slug,
      public: true,
      regions: REGIONS.map((r) => r.slug),
      created_at: '2024-04-25T13:21:27Z',
      min_disk_size: 7,
      size_gigabytes: 2.53,
      description: 'Ubuntu 24.04 x64',
      tags: [],
      status: 'available',
      error_message: '',
    },
    volume_ids: volumeIds,
    size: {
      slug: size.slug,
      memory: size.memory,
      vcpus: size.vcpus,
      disk: size.disk,
      transfer: size.transfer,
      price_monthly: size.priceMonthly,
      price_hourly: Math.round((size.priceMonthly / 672) * 100000) / 100000,
      regions: REGIONS.map((r) => r.slug),
      available: true,
      description: size.description,
      disk_info: [{ type: 'local', size: { amount: size.disk, unit: 'gib' } }],
    },
    size_slug: size.slug,
    networks: {
      v4: [
        { ip_address: d.privateIp, netmask: '255.255.240.0', gateway: '10.0.0.1', type: 'private' },
        { ip_address: d.publicIp, netmask: '255.255.240.0', gateway: d.publicIp.replace(/\.\d+$/, '.1'), type: 'public' },
      ],
      v6: [],
    },
    region: region(d.region),
    tags: d.tags,
    vpc_uuid: d.vpcUuid,
  };
}

export function volume(v: DoVolume) {
  return {
    id: v.id,
    droplet_ids: v.dropletId === null ? [] : [v.dropletId],
    name: v.name,
    description: v.description,
    size_gigabytes: v.sizeGigabytes,
    created_at: time(v.createdAt),
    tags: v.tags,
    region: region(v.region),
    filesystem_type: 'ext4',
    filesystem_label: '',
  };
}

export function snapshot(s: DoSnapshot) {
  return {
    id: s.id,
    name: s.name,
    created_at: time(s.createdAt),
    regions: [s.region],
    min_disk_size: s.minDiskSize,
    size_gigabytes: s.sizeGigabytes,
    resource_id: s.resourceId,
    resource_type: s.resourceType,
    tags: s.tags,
  };
}

export function database(db: DoDatabase, seed: number) {
  const host = `${db.name}-do-user-${randomFor(seed, 'do', 'dbhost', db.id).int(1_000_000, 9_999_999)}-0.db.ondigitalocean.com`;
  const port = db.engine === 'pg' ? 25060 : db.engine === 'mysql' ? 25060 : 25061;
  const connection = { uri: `${db.engine}://doadmin:hidden@${host}:${port}/defaultdb?sslmode=require`, database: 'defaultdb', host, port, user: 'doadmin', password: '', ssl: true };
  return {
    id: db.id,
    name: db.name,
    engine: db.engine,
    version: db.version,
    num_nodes: db.numNodes,
    size: db.sizeSlug,
    region: db.region,
    status: 'online',
    created_at: time(db.createdAt),
    private_network_uuid: db.vpcUuid,
    tags: db.tags,
    db_names: db.engine === 'valkey' ? null : ['defaultdb'],
    connection,
    private_connection: { ...connection, host: `private-${host}` },
    users: null,
    maintenance_window: { day: 'tuesday', hour: '02:00:00', pending: false, description: [] },
    project_id: db.projectId,
    storage_size_mib: 10240 * db.numNodes,
  };
}

export function app(a: DoApp, ownerUuid: string) {
  return {
    id: a.id,
    owner_uuid: ownerUuid,
    spec: {
      name: a.name,
      region: a.region,
      services: [{ name: 'web', instance_size_slug: a.instanceSize, instance_count: 1, http_port: 8080 }],
    },
    default_ingress: `https://${a.name}-${a.id.slice(0, 5)}.ondigitalocean.app`,
    created_at: time(a.createdAt),
    updated_at: time(a.updatedAt),
    last_deployment_created_at: time(a.updatedAt),
    live_url: `https://${a.name}-${a.id.slice(0, 5)}.ondigitalocean.app`,
    live_url_base: `https://${a.name}-${a.id.slice(0, 5)}.ondigitalocean.app`,
    live_domain: `${a.name}-${a.id.slice(0, 5)}.ondigitalocean.app`,
    tier_slug: a.tierSlug,
    project_id: a.projectId,
    region: { slug: a.region, label: a.region.toUpperCase(), flag: 'globe', continent: 'Earth', data_centers: [] },
  };
}

export function kubernetesCluster(c: DoKubernetesCluster, nodeCreatedAt: (dropletId: number) => number, seed: number) {
  return {
    id: c.id,
    name: c.name,
    region: c.region,
    version: KUBERNETES_VERSION,
    cluster_subnet: '10.244.0.0/16',
    service_subnet: '10.245.0.0/16',
    vpc_uuid: c.vpcUuid,
    ipv4: `68.183.${randomFor(seed, 'do', 'k8sip', c.id).int(0, 255)}.${randomFor(seed, 'do', 'k8sip2', c.id).int(1, 254)}`,
    endpoint: `https://${c.id}.k8s.ondigitalocean.com`,
    tags: c.tags,
    node_pools: c.nodePools.map((p) => ({
      size: p.sizeSlug,
      id: p.id,
      name: p.name,
      count: p.dropletIds.length,
      tags: ['k8s', `k8s:${c.id}`, 'k8s:worker'],
      labels: null,
      taints: [],
      auto_scale: false,
      min_nodes: 0,
      max_nodes: 0,
      nodes: p.dropletIds.map((dropletId, i) => ({
        id: randomFor(seed, 'do', 'k8snode', dropletId).uuid(),
        name: `${p.name}-${i + 1}`,
        status: { state: 'running' },
        droplet_id: String(dropletId),
        created_at: time(nodeCreatedAt(dropletId)),
        updated_at: time(nodeCreatedAt(dropletId)),
      })),
    })),
    maintenance_policy: { start_time: '00:00', duration: '4h0m0s', day: 'any' },
    auto_upgrade: false,
    status: { state: 'running', message: '' },
    created_at: time(c.createdAt),
    updated_at: time(c.createdAt),
    surge_upgrade: true,
    ha: false,
    registry_enabled: false,
  };
}

export function loadBalancer(lb: DoLoadBalancer) {
  return {
    id: lb.id,
    name: lb.name,
    project_id: lb.projectId,
    ip: lb.ip,
    size_unit: lb.sizeUnit,
    algorithm: 'round_robin',
    status: 'active',
    created_at: time(lb.createdAt),
    forwarding_rules: [{ entry_protocol: 'https', entry_port: 443, target_protocol: 'http', target_port: 8080, certificate_id: '', tls_passthrough: false }],
    health_check: { protocol: 'http', port: 8080, path: '/healthz', check_interval_seconds: 10, response_timeout_seconds: 5, unhealthy_threshold: 3, healthy_threshold: 5 },
    sticky_sessions: { type: 'none' },
    redirect_http_to_https: true,
    enable_proxy_protocol: false,
    enable_backend_keepalive: false,
    http_idle_timeout_seconds: 60,
    vpc_uuid: lb.vpcUuid,
    disable_lets_encrypt_dns_records: false,
    network: 'EXTERNAL',
    network_stack: 'IPV4',
    type: 'REGIONAL',
    region: region(lb.region),
    droplet_ids: lb.dropletIds,
  };
}

export function firewall(f: DoFirewall) {
  return {
    id: f.id,
    status: 'succeeded',
    created_at: time(f.createdAt),
    pending_changes: [],
    name: f.name,
    droplet_ids: f.dropletIds,
    tags: f.tags,
    inbound_rules: [
      { protocol: 'tcp', ports: '443', sources: { addresses: ['0.0.0.0/0', '::/0'] } },
      { protocol: 'tcp', ports: '22', sources: { addresses: ['203.0.113.0/24'] } },
    ],
    outbound_rules: [{ protocol: 'tcp', ports: '0', destinations: { addresses: ['0.0.0.0/0', '::/0'] } }],
  };
}

export function project(p: DoProject, owner: DoUser, ownerId: number) {
  return {
    id: p.id,
    owner_uuid: owner.uuid,
    owner_id: ownerId,
    name: p.name,
    description: p.description,
    purpose: p.purpose,
    environment: p.environment,
    created_at: time(p.createdAt),
    updated_at: time(p.updatedAt),
    is_default: p.isDefault,
  };
}
