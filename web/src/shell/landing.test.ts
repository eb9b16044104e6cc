import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../api/connections.ts';
import { landingPage } from './landing.ts';

const card = (status: ConnectionStatus | null) => ({ connection: status ? ({ status } as never) : null });

describe('the page an organization opens on', () => {
  it('is Connections while nothing is connected', () => {
    expect(landingPage([])).toBe('connections');
    expect(landingPage([card(null), card(null)])).toBe('connections');
  });

  it('is Connections when every connection was disconnected', () => {
    expect(landingPage([card('disconnected'), card(null)])).toBe('connections');
  });

  it('is Overview once an app is connected, even one waiting for a Reconnect', () => {
    expect(landingPage([card(null), card('active')])).toBe('overview');
    expect(landingPage([card('needs_reconnect'), card(null)])).toBe('overview');
  });
});
