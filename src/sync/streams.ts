import type { ProviderSlug } from '../api/contracts/connections.ts';
import type { StreamDefinition } from './types.ts';

/** The streams of each provider, parents first. Filled from src/providers/<slug>/streams. */
const registry: Record<ProviderSlug, StreamDefinition[]> = { digitalocean: [], bitbucket: [] };

export function streamsFor(provider: ProviderSlug): StreamDefinition[] {
  return registry[provider];
}
