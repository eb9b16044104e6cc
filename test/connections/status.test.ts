import { describe, expect, it } from 'vitest';
import { transition, TransitionError, type ConnectionEvent } from '../../src/connections/status.ts';

type From = Parameters<typeof transition>[0];

describe('connection state machine', () => {
  const cases: Array<[From, ConnectionEvent, ReturnType<typeof transition> | 'refused']> = [
    [null, 'connected', 'active'],
    ['active', 'connected', 'active'],
    ['needs_reconnect', 'connected', 'active'],
    ['disconnected', 'connected', 'active'],
    ['active', 'refreshed', 'active'],
    ['needs_reconnect', 'refreshed', 'refused'],
    ['disconnected', 'refreshed', 'refused'],
    ['active', 'grant_dead', 'needs_reconnect'],
    ['needs_reconnect', 'grant_dead', 'refused'],
    ['disconnected', 'grant_dead', 'refused'],
    ['active', 'disconnected', 'disconnected'],
    ['needs_reconnect', 'disconnected', 'disconnected'],
    ['disconnected', 'disconnected', 'refused'],
    [null, 'disconnected', 'refused'],
  ];
  it.each(cases)('from %s, %s → %s', (from, event, expected) => {
    if (expected === 'refused') expect(() => transition(from, event)).toThrow(TransitionError);
    else expect(transition(from, event)).toBe(expected);
  });
});
