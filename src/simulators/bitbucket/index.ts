import type { FastifyInstance } from 'fastify';
import type { SimClock } from '../core/clock.ts';
import type { Counters } from '../core/counters.ts';
import type { OAuthStore } from '../oauth/store.ts';
import type { Preset } from '../types.ts';
import { registerBbRoutes } from './api.ts';
import { createBitbucketOAuthStore, registerBitbucketOAuth } from './oauth.ts';
import { issueRoutes } from './routes/issues.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { pullRequestRoutes } from './routes/pullrequests.ts';
import { repositoryRoutes } from './routes/repositories.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { BitbucketWorld } from './world.ts';

/** The simulated Bitbucket Cloud: one workspace, its OAuth server and the REST API 2.0. */
export interface BitbucketSimulator {
  world: BitbucketWorld;
  oauth: OAuthStore;
}

export function createBitbucket(preset: Preset, seed: number, clock: SimClock, paidSeats?: number): BitbucketSimulator {
  return { world: new BitbucketWorld(preset, seed, clock, paidSeats), oauth: createBitbucketOAuthStore(clock) };
}

/** Routes under `/bitbucket`: `/site/oauth2/...` as at bitbucket.org, `/2.0/...` as at api.bitbucket.org. */
export function registerBitbucket(app: FastifyInstance, sim: BitbucketSimulator, counters: Counters, rateLimitScale = 1): void {
  registerBitbucketOAuth(app, sim.world, sim.oauth, counters);
  registerBbRoutes(app, { world: sim.world, oauth: sim.oauth, rateLimitScale }, [
    ...workspaceRoutes(sim.world),
    ...repositoryRoutes(sim.world),
    ...pullRequestRoutes(sim.world),
    ...pipelineRoutes(sim.world),
    ...issueRoutes(sim.world),
  ]);
}
