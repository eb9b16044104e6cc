import { DAY_MS } from '../core/clock.ts';
import { generatePeople } from '../core/people.ts';
import { randomFor } from '../core/random.ts';
import type { Random } from '../core/random.ts';
import type { Preset } from '../types.ts';
import { APP_TIERS, DATABASE_SIZES, DROPLET_SIZES, REGIONS } from './catalog.ts';
import type {
  DoApp, DoDatabase, DoDroplet, DoFirewall, DoKubernetesCluster, DoLoadBalancer, DoProject, DoSnapshot, DoTeam, DoUser,
  DoVolume,
} from './model.ts';

const COUNTS = {
  small: { users: 5, projects: 3, droplets: 12, volumes: 5, snapshots: 4, databases: 2, apps: 2, clusters: 1, loadBalancers: 1, firewalls: 2 },
  large: { users: 15, projects: 12, droplets: 320, volumes: 140, snapshots: 90, databases: 18, apps: 14, clusters: 6, loadBalancers: 10, firewalls: 10 },
} as const;

/** How far back the oldest resource goes; invoices cover the last 12 whole months. */
const HISTORY_DAYS = 420;
const ROLES = ['web', 'api', 'worker', 'cache', 'batch', 'ci-runner', 'legacy', 'staging-web'] as const;
/** Firewalls cover these tags; droplets with other roles are open unless listed by id. */
const FIREWALLED_TAGS = ['web', 'api', 'cache'];
const PROJECT_NAMES = ['Platform', 'Data', 'Marketing Site', 'Mobile Backend', 'Internal Tools', 'Analytics', 'Payments', 'Search', 'Media', 'Partners', 'Sandbox', 'Archive'];

export interface DoInitialState {
  team: DoTeam;
  users: DoUser[];
  projects: DoProject[];
  droplets: DoDroplet[];
  volumes: DoVolume[];
  snapshots: DoSnapshot[];
  databases: DoDatabase[];
  apps: DoApp[];
  clusters: DoKubernetesCluster[];
  loadBalancers: DoLoadBalancer[];
  firewalls: DoFirewall[];
}

function ip(random: Random, first: number): string {
  return `${first}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/** A creation time in the history window, at least a day before the epoch. */
function createdIn(random: Random, epochMs: number, newestDaysAgo = 1): number {
  return epochMs - random.int(newestDaysAgo * 24, HISTORY_DAYS * 24) * 3_600_000 - random.int(0, 3_599) * 1000;
}

export function newDroplet(random: Random, index: number, createdAt: number, projectId: string, vpcUuid: string): DoDroplet {
  const role = ROLES[index % ROLES.length] as (typeof ROLES)[number];
  const idle = random.chance(0.25);
  const env = role === 'staging-web' || random.chance(0.2) ? 'staging' : 'prod';
  return {
    id: 400_000_000 + index * 7 + random.int(0, 6),
    name: `${role}-${String(index + 1).padStart(2, '0')}`,
    sizeSlug: random.pick(DROPLET_SIZES.slice(0, role === 'batch' ? 8 : 5)).slug,
    region: random.pick(REGIONS).slug,
    tags: [role, env],
    status: random.chance(0.06) ? 'off' : 'active',
    cpuBusy: idle ? random.between(0.005, 0.03) : random.between(0.12, 0.75),
    memoryUsedShare: idle ? random.between(0.1, 0.25) : random.between(0.35, 0.85),
    publicIp: ip(random, random.pick([104, 134, 138, 143, 157, 159, 161, 164, 167])),
    privateIp: ip(random, 10),
    vpcUuid,
    backups: random.chance(0.3),
    kubernetesClusterId: null,
    createdAt,
    deletedAt: null,
    projectId,
  };
}

export function generateDigitalOcean(preset: Preset, seed: number, epochMs: number): DoInitialState {
  const n = COUNTS[preset];
  const r = (label: string, i: number | string = 0) => randomFor(seed, 'do', label, i);
  const team: DoTeam = { uuid: r('team').hex(40), name: preset === 'large' ? 'Northwind Cloud' : 'Acme Cloud' };
  const people = generatePeople(r('people'), n.users, preset === 'large' ? 'northwind.example' : 'acme.example');
  const users: DoUser[] = people.map((p, i) => ({
    uuid: r('user', i).hex(40),
    email: p.email,
    name: p.name,
    role: i === 0 ? 'owner' : i === 1 ? 'biller' : 'member',
    // The second person confirms with a one-time code and the third signs in through SSO, so
    // tests and the demo meet both variants of the login page.
    signIn: i === 1 ? 'otp' : i === 2 ? 'sso' : 'password',
    otpCode: i === 1 ? String(r('otp', i).int(100_000, 999_999)) : null,
  }));
  const projects: DoProject[] = Array.from({ length: n.projects }, (_, i) => {
    const random = r('project', i);
    const createdAt = epochMs - (HISTORY_DAYS + 30 - i) * DAY_MS;
    return {
      id: random.uuid(),
      name: PROJECT_NAMES[i % PROJECT_NAMES.length] as string,
      description: `Resources of the ${PROJECT_NAMES[i % PROJECT_NAMES.length]} team`,
      purpose: random.pick(['Web Application', 'Service or API', 'Operational / Developer tooling', 'Data storage']),
      environment: random.pick(['Production', 'Staging', 'Development'] as const),
      isDefault: i === 0,
      createdAt,
      updatedAt: createdAt + random.int(0, 200) * DAY_MS,
    };
  });
  const vpcByRegion = new Map(REGIONS.map((region) => [region.slug, r('vpc', region.slug).uuid()]));
  const vpc = (region: string) => vpcByRegion.get(region) as string;
  const projectFor = (random: Random) => random.pick(projects).id;

  const droplets: DoDroplet[] = [];
  // Some droplets were destroyed before the epoch: gone from the lists, still on old invoices.
  const destroyed = Math.ceil(n.droplets * 0.15);
  for (let i = 0; i < n.droplets + destroyed; i++) {
    const random = r('droplet', i);
    const d = newDroplet(random, i, createdIn(random, epochMs), projectFor(random), '');
    d.vpcUuid = vpc(d.region);
    if (i >= n.droplets) d.deletedAt = d.createdAt + random.int(2, Math.max(3, Math.floor((epochMs - d.createdAt) / DAY_MS) - 1)) * DAY_MS;
    droplets.push(d);
  }
  const live = droplets.filter((d) => d.deletedAt === null);

  const clusters: DoKubernetesCluster[] = Array.from({ length: n.clusters }, (_, i) => {
    const random = r('cluster', i);
    const region = random.pick(REGIONS).slug;
    const createdAt = createdIn(random, epochMs, 30);
    const pools = Array.from({ length: random.int(1, 2) }, (_, p) => {
      const sizeSlug = random.pick(DROPLET_SIZES.slice(2, 6)).slug;
      const dropletIds: number[] = [];
      for (let k = 0; k < random.int(2, 4); k++) {
        const node = newDroplet(random, 10_000 + i * 100 + p * 10 + k, createdAt, projectFor(random), vpc(region));
        Object.assign(node, { name: `pool-${i + 1}-${p + 1}-node-${k + 1}`, sizeSlug, region, cpuBusy: random.between(0.2, 0.6) });
        droplets.push(node);
        dropletIds.push(node.id);
      }
      return { id: random.uuid(), name: `pool-${i + 1}-${p + 1}`, sizeSlug, dropletIds };
    });
    const cluster: DoKubernetesCluster = { id: random.uuid(), name: `k8s-${region}-${i + 1}`, region, vpcUuid: vpc(region), tags: ['k8s'], nodePools: pools, createdAt, deletedAt: null, projectId: projectFor(random) };
    for (const pool of pools)
      for (const id of pool.dropletIds) {
        const node = droplets.find((d) => d.id === id) as DoDroplet;
        node.kubernetesClusterId = cluster.id;
        node.tags = ['k8s', `k8s:${cluster.id}`, 'k8s:worker'];
      }
    return cluster;
  });

  const volumes: DoVolume[] = Array.from({ length: n.volumes }, (_, i) => {
    const random = r('volume', i);
    const attachTo = random.chance(0.65) ? random.pick(live) : null;
    const createdAt = Math.max(attachTo?.createdAt ?? 0, createdIn(random, epochMs));
    return {
      id: random.uuid(), name: `volume-${attachTo ? attachTo.name : 'spare'}-${i + 1}`, description: attachTo ? `Data for ${attachTo.name}` : 'Detached volume',
      sizeGigabytes: random.pick([10, 50, 100, 250, 500]), region: attachTo?.region ?? random.pick(REGIONS).slug,
      dropletId: attachTo?.id ?? null, tags: attachTo ? [attachTo.tags[0] as string] : [], createdAt, deletedAt: null, projectId: projectFor(random),
    };
  });

  const snapshots: DoSnapshot[] = Array.from({ length: n.snapshots }, (_, i) => {
    const random = r('snapshot', i);
    const ofVolume = random.chance(0.3) && volumes.length > 0;
    const source = ofVolume ? random.pick(volumes) : random.pick(live);
    const sizeGigabytes = ofVolume ? (source as DoVolume).sizeGigabytes * random.between(0.2, 0.9) : random.between(2, 40);
    return {
      id: String(150_000_000 + i * 13 + random.int(0, 12)), name: `${source.name}-snapshot-${i + 1}`,
      resourceId: String(source.id), resourceType: ofVolume ? 'volume' : 'droplet', sizeGigabytes: Math.round(sizeGigabytes * 100) / 100,
      minDiskSize: ofVolume ? (source as DoVolume).sizeGigabytes : 25, region: source.region,
      createdAt: Math.max(source.createdAt, createdIn(random, epochMs)), tags: [], projectId: projectFor(random),
    };
  });

  const databases: DoDatabase[] = Array.from({ length: n.databases }, (_, i) => {
    const random = r('database', i);
    const engine = random.pick(['pg', 'pg', 'mysql', 'valkey'] as const);
    const region = random.pick(REGIONS).slug;
    return {
      id: random.uuid(), name: `${engine}-${['main', 'analytics', 'sessions', 'queue'][i % 4]}-${i + 1}`, engine,
      version: { pg: '16', mysql: '8', redis: '7', valkey: '8' }[engine], numNodes: random.pick([1, 1, 2, 3]),
      sizeSlug: random.pick(DATABASE_SIZES).slug, region, tags: ['prod'], vpcUuid: vpc(region),
      createdAt: createdIn(random, epochMs), deletedAt: null, projectId: projectFor(random),
    };
  });

  const apps: DoApp[] = Array.from({ length: n.apps }, (_, i) => {
    const random = r('app', i);
    const tier = random.pick(APP_TIERS);
    const createdAt = createdIn(random, epochMs);
    return {
      id: random.uuid(), name: `app-${['site', 'docs', 'status', 'portal'][i % 4]}-${i + 1}`, region: random.pick(['nyc', 'ams', 'fra', 'sfo']),
      tierSlug: tier.slug, instanceSize: tier.instanceSize, priceMonthly: tier.priceMonthly, createdAt,
      updatedAt: createdAt + random.int(0, Math.floor((epochMs - createdAt) / DAY_MS)) * DAY_MS, deletedAt: null, projectId: projectFor(random),
    };
  });

  const loadBalancers: DoLoadBalancer[] = Array.from({ length: n.loadBalancers }, (_, i) => {
    const random = r('lb', i);
    const web = live.filter((d) => d.tags.includes('web'));
    const region = web[0]?.region ?? 'nyc3';
    return {
      id: random.uuid(), name: `lb-web-${i + 1}`, region, sizeUnit: random.pick([1, 1, 2]),
      dropletIds: random.sample(web.filter((d) => d.region === region), 3).map((d) => d.id), ip: ip(random, 159),
      vpcUuid: vpc(region), createdAt: createdIn(random, epochMs), deletedAt: null, projectId: projectFor(random),
    };
  });

  const firewalls: DoFirewall[] = Array.from({ length: n.firewalls }, (_, i) => {
    const random = r('firewall', i);
    const tag = FIREWALLED_TAGS[i % FIREWALLED_TAGS.length] as string;
    // Besides its tag, a firewall lists a few droplets by id, as teams do when they add one by hand.
    const extra = random.sample(live.filter((d) => !FIREWALLED_TAGS.some((t) => d.tags.includes(t))), i === 0 ? 1 : 0);
    return { id: random.uuid(), name: `fw-${tag}-${i + 1}`, createdAt: createdIn(random, epochMs), dropletIds: extra.map((d) => d.id), tags: [tag] };
  });

  return { team, users, projects, droplets, volumes, snapshots, databases, apps, clusters, loadBalancers, firewalls };
}
