export type ProviderSlug = 'digitalocean' | 'bitbucket';

export type Preset = 'small' | 'large';

/** An OAuth application registered with a simulated provider. */
export interface SimulatorClient {
  provider: ProviderSlug;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface ProviderInfo {
  authorizeUrl: string;
  tokenUrl: string;
  apiBaseUrl: string;
  preset: Preset;
  seed: number;
}

/** What `GET /_sim/info` returns: absolute URLs, the preset and seed, and the simulated clock. */
export interface SimulatorInfo {
  digitalocean: ProviderInfo & { revokeUrl: string };
  bitbucket: ProviderInfo & { revokeUrl: null };
  /** The instant the seeded history ends (ISO 8601). */
  epoch: string;
  /** Simulated now (ISO 8601) when the info was produced. */
  now: string;
}

export function isProviderSlug(value: unknown): value is ProviderSlug {
  return value === 'digitalocean' || value === 'bitbucket';
}
