import type { ProviderCard } from '../api/connections.ts';

/**
 * The page an organization opens on: Overview when some app is connected (working or waiting for a
 * Reconnect, which Overview lists under connections needing attention), else Connections.
 */
export function landingPage(cards: Pick<ProviderCard, 'connection'>[]): 'overview' | 'connections' {
  return cards.some((card) => card.connection && card.connection.status !== 'disconnected') ? 'overview' : 'connections';
}
