import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { simulatorsWanted } from '../../src/connections/simulated.ts';

describe('whether Tally starts its built-in simulators', () => {
  it('by default (auto), only while no real provider app is configured, in the environment or on the settings page', () => {
    expect(simulatorsWanted(loadConfig({}), 0)).toBe(true);
    expect(simulatorsWanted(loadConfig({}), 1)).toBe(false);
    expect(simulatorsWanted(loadConfig({ TALLY_BITBUCKET_CLIENT_ID: 'id', TALLY_BITBUCKET_CLIENT_SECRET: 'secret' }), 0)).toBe(false);
    // A client id without its secret is no app yet.
    expect(simulatorsWanted(loadConfig({ TALLY_DIGITALOCEAN_CLIENT_ID: 'id' }), 0)).toBe(true);
  });

  it('always with TALLY_SIMULATORS=on, never with off', () => {
    expect(simulatorsWanted(loadConfig({ TALLY_SIMULATORS: 'on', TALLY_BITBUCKET_CLIENT_ID: 'id', TALLY_BITBUCKET_CLIENT_SECRET: 'secret' }), 1)).toBe(true);
    expect(simulatorsWanted(loadConfig({ TALLY_SIMULATORS: 'off' }), 0)).toBe(false);
  });
});
