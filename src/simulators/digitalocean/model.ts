/** The simulated DigitalOcean team: what exists, when it was created and (if so) destroyed. */

export type TeamRole = 'owner' | 'biller' | 'member';

export interface DoUser {
  /** DigitalOcean account UUIDs are 40 hex characters. */
  uuid: string;
  email: string;
  name: string;
  role: TeamRole;
  signIn: 'password' | 'otp' | 'sso';
  otpCode: string | null;
}

export interface DoProject {
  id: string;
  name: string;
  description: string;
  purpose: string;
  environment: 'Development' | 'Staging' | 'Production';
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
}

interface Lifetime {
  createdAt: number;
  /** Destroyed resources stay in the model so old invoices can still bill them. */
  deletedAt: number | null;
  projectId: string;
}

export interface DoDroplet extends Lifetime {
  id: number;
  name: string;
  sizeSlug: string;
  region: string;
  tags: string[];
  status: 'active' | 'off';
  /** Share of CPU time busy, 0..1. Idle droplets sit near 1-3 %. */
  cpuBusy: number;
  memoryUsedShare: number;
  publicIp: string;
  privateIp: string;
  vpcUuid: string;
  backups: boolean;
  /** Set for droplets that are Kubernetes worker nodes. */
  kubernetesClusterId: string | null;
}

export interface DoVolume extends Lifetime {
  id: string;
  name: string;
  description: string;
  sizeGigabytes: number;
  region: string;
  dropletId: number | null;
  tags: string[];
}

export interface DoSnapshot {
  id: string;
  name: string;
  resourceId: string;
  resourceType: 'droplet' | 'volume';
  sizeGigabytes: number;
  minDiskSize: number;
  region: string;
  createdAt: number;
  tags: string[];
  projectId: string;
}

export interface DoDatabase extends Lifetime {
  id: string;
  name: string;
  engine: 'pg' | 'mysql' | 'redis' | 'valkey';
  version: string;
  numNodes: number;
  sizeSlug: string;
  region: string;
  tags: string[];
  vpcUuid: string;
}

export interface DoApp extends Lifetime {
  id: string;
  name: string;
  region: string;
  tierSlug: string;
  instanceSize: string;
  priceMonthly: number;
  updatedAt: number;
}

export interface DoKubernetesCluster extends Lifetime {
  id: string;
  name: string;
  region: string;
  vpcUuid: string;
  tags: string[];
  nodePools: Array<{ id: string; name: string; sizeSlug: string; dropletIds: number[] }>;
}

export interface DoLoadBalancer extends Lifetime {
  id: string;
  name: string;
  region: string;
  sizeUnit: number;
  dropletIds: number[];
  ip: string;
  vpcUuid: string;
}

export interface DoFirewall {
  id: string;
  name: string;
  createdAt: number;
  dropletIds: number[];
  tags: string[];
}

export interface DoTeam {
  uuid: string;
  name: string;
}
