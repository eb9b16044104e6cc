import type { FastifyReply } from 'fastify';
import type { SimClock } from '../core/clock.ts';
import type { Counters } from '../core/counters.ts';
import type { FaultRules } from '../core/faults.ts';
import type { RouteCatalog } from '../core/routes.ts';
import type { BitbucketSimulator } from '../bitbucket/index.ts';
import type { DigitalOceanSimulator } from '../digitalocean/index.ts';
import type { Preset, SimulatorInfo } from '../types.ts';

/** Everything the control API (`/_sim/...`) reads and changes. */
export interface ControlContext {
  preset: Preset;
  seed: number;
  clock: SimClock;
  counters: Counters;
  faults: FaultRules;
  catalog: RouteCatalog;
  digitalocean: DigitalOceanSimulator;
  bitbucket: BitbucketSimulator;
}

/** Control API errors use Tally's own shape: `{ error: { code, message } }`. */
export function controlError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

export function simulatorInfo(origin: string, ctx: Pick<ControlContext, 'preset' | 'seed' | 'clock'>): SimulatorInfo {
  const common = { preset: ctx.preset, seed: ctx.seed };
  return {
    digitalocean: {
      authorizeUrl: `${origin}/digitalocean/v1/oauth/authorize`,
      tokenUrl: `${origin}/digitalocean/v1/oauth/token`,
      revokeUrl: `${origin}/digitalocean/v1/oauth/revoke`,
      apiBaseUrl: `${origin}/digitalocean`,
      ...common,
    },
    bitbucket: {
      authorizeUrl: `${origin}/bitbucket/site/oauth2/authorize`,
      tokenUrl: `${origin}/bitbucket/site/oauth2/access_token`,
      revokeUrl: null,
      apiBaseUrl: `${origin}/bitbucket/2.0`,
      ...common,
    },
    epoch: new Date(ctx.clock.epochMs).toISOString(),
    now: new Date(ctx.clock.now()).toISOString(),
  };
}
