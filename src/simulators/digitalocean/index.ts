import type { FastifyInstance } from 'fastify';
import type { SimClock } from '../core/clock.ts';
import type { Counters } from '../core/counters.ts';
import type { OAuthStore } from '../oauth/store.ts';
import type { Preset } from '../types.ts';
import { registerDoRoutes } from './api.ts';
import { Billing } from './billing.ts';
import { createDigitalOceanOAuthStore, registerDigitalOceanOAuth } from './oauth.ts';
import { billingRoutes } from './routes/billing.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { projectRoutes } from './routes/projects.ts';
import { resourceRoutes } from './routes/resources.ts';
import { DigitalOceanWorld } from './world.ts';

/** The simulated DigitalOcean: one team, its OAuth server and its API v2. */
export interface DigitalOceanSimulator {
  world: DigitalOceanWorld;
  billing: Billing;
  oauth: OAuthStore;
}

export function createDigitalOcean(preset: Preset, seed: number, clock: SimClock): DigitalOceanSimulator {
  const world = new DigitalOceanWorld(preset, seed, clock);
  return { world, billing: new Billing(world), oauth: createDigitalOceanOAuthStore(clock) };
}

/** Routes under `/digitalocean`: `/v1/oauth/...` as at cloud.digitalocean.com, `/v2/...` as at api.digitalocean.com. */
export function registerDigitalOcean(app: FastifyInstance, sim: DigitalOceanSimulator, counters: Counters, rateLimitScale = 1): void {
  registerDigitalOceanOAuth(app, sim.world, sim.oauth, counters);
  registerDoRoutes(app, { world: sim.world, billing: sim.billing, oauth: sim.oauth, rateLimitScale }, [
    ...resourceRoutes(sim.world),
    ...projectRoutes(sim.world),
    ...billingRoutes(sim.billing),
    ...monitoringRoutes(sim.world),
  ]);
}
