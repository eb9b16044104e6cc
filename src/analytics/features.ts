import type { ProviderSlug } from '../api/contracts/connections.ts';

/**
 * The features analytics counts, per provider. Activity features come from the facts the streams emit
 * (src/providers/<slug>/streams); resource features (DigitalOcean) from the resources synced.
 */
export type FeatureInfo = { key: string; label: string; unit: 'people' | 'resources'; basic: boolean };

/** Apps whose seats and activity are about people; the others (DigitalOcean) are about resources and money. */
export const PEOPLE_BASED: readonly ProviderSlug[] = ['bitbucket'];
export const isPeopleBased = (provider: string): boolean => (PEOPLE_BASED as readonly string[]).includes(provider);

/**
 * Bitbucket. Commits and issues are the basic features: pushing code works with any seat and any role, so a
 * person who only does that is "using few features" (a downgrade or role-change candidate); pull requests,
 * reviews, pipelines and deployments are what the paid collaboration features are for.
 */
const BITBUCKET: FeatureInfo[] = [
  { key: 'commit', label: 'Commits', unit: 'people', basic: true },
  { key: 'pull_request.opened', label: 'Pull requests opened', unit: 'people', basic: false },
  { key: 'pull_request.reviewed', label: 'Reviews', unit: 'people', basic: false },
  { key: 'pull_request.merged', label: 'Pull requests merged', unit: 'people', basic: false },
  { key: 'pipeline.run', label: 'Pipelines', unit: 'people', basic: false },
  { key: 'deployment', label: 'Deployments', unit: 'people', basic: false },
  { key: 'issue', label: 'Issues', unit: 'people', basic: true },
];

/** DigitalOcean: resource types, counted by how many exist (alive) in each week. */
const DIGITALOCEAN: FeatureInfo[] = [
  { key: 'droplet', label: 'Droplets', unit: 'resources', basic: true },
  { key: 'volume', label: 'Volumes', unit: 'resources', basic: true },
  { key: 'snapshot', label: 'Snapshots', unit: 'resources', basic: true },
  { key: 'database', label: 'Managed databases', unit: 'resources', basic: false },
  { key: 'app', label: 'App Platform apps', unit: 'resources', basic: false },
  { key: 'kubernetes', label: 'Kubernetes clusters', unit: 'resources', basic: false },
  { key: 'load_balancer', label: 'Load balancers', unit: 'resources', basic: false },
  { key: 'firewall', label: 'Cloud Firewalls', unit: 'resources', basic: true },
  { key: 'spaces', label: 'Spaces', unit: 'resources', basic: false },
  { key: 'cdn', label: 'CDN', unit: 'resources', basic: false },
];

const CATALOG: Record<ProviderSlug, FeatureInfo[]> = { bitbucket: BITBUCKET, digitalocean: DIGITALOCEAN };

export const featuresOf = (provider: ProviderSlug): FeatureInfo[] => CATALOG[provider];

export function featureInfo(provider: ProviderSlug, key: string): FeatureInfo {
  return CATALOG[provider].find((f) => f.key === key) ?? { key, label: key, unit: isPeopleBased(provider) ? 'people' : 'resources', basic: false };
}

/**
 * Raw activity features as the streams name them -> the feature they count for; null for measures that are
 * not a use of a feature (build seconds ride along with a pipeline run).
 */
export function adoptionFeature(raw: string): string | null {
  if (raw === 'pipeline.build_seconds') return null;
  if (raw.startsWith('issue.')) return 'issue';
  return raw;
}

/** Raw activity features that count as basic (for "using few features"), as SQL can compare them. */
export const BASIC_RAW_FEATURES = ['commit', 'issue.created', 'issue.updated', 'pipeline.build_seconds'];

/** The note shown wherever activity figures are. */
export { ACTIVITY_NOTE } from '../api/contracts/analytics.ts';
