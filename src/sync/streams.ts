import type { ProviderSlug } from '../api/contracts/connections.ts';
import { streams as digitalocean } from '../providers/digitalocean/streams/index.ts';
import type { StreamDefinition } from './types.ts';

/**
 * The streams of each provider, parents first, from src/providers/<slug>/streams.
 * Bitbucket's streams are being written (issue 6); until they land a Bitbucket sync has nothing to run.
 */
const registry: Record<ProviderSlug, StreamDefinition[]> = { digitalocean, bitbucket: [] };

export function streamsFor(provider: ProviderSlug): StreamDefinition[] {
  return registry[provider];
}
