import type { ConnectionStatus } from '../api/contracts/connections.ts';

/**
 * The connection state machine: every status change goes through `transition`, so no code path can move a
 * connection somewhere it may not go (e.g. a background refresh reviving a connection an admin disconnected).
 * `null` is "no connection yet".
 */
export type ConnectionEvent = 'connected' | 'refreshed' | 'grant_dead' | 'disconnected';

const allowed: Record<ConnectionEvent, { from: Array<ConnectionStatus | null>; to: ConnectionStatus }> = {
  // Connect, Reconnect and a personal token all end here, from any state.
  connected: { from: [null, 'active', 'needs_reconnect', 'disconnected'], to: 'active' },
  refreshed: { from: ['active'], to: 'active' },
  // invalid_grant on refresh, or a 401 with a token that was just refreshed.
  grant_dead: { from: ['active'], to: 'needs_reconnect' },
  disconnected: { from: ['active', 'needs_reconnect'], to: 'disconnected' },
};

export class TransitionError extends Error {
  override name = 'TransitionError';
}

export function transition(from: ConnectionStatus | null, event: ConnectionEvent): ConnectionStatus {
  const rule = allowed[event];
  if (!rule.from.includes(from)) throw new TransitionError(`a connection cannot be ${event.replace('_', ' ')} while it is ${from ?? 'not connected'}`);
  return rule.to;
}
