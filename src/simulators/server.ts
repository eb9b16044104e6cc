import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { SimClock } from './core/clock.ts';
import { Counters } from './core/counters.ts';
import { FaultRules } from './core/faults.ts';
import { installProviderHooks, sendSimReply } from './core/provider-hooks.ts';
import { RouteCatalog } from './core/routes.ts';
import { createBitbucket, registerBitbucket } from './bitbucket/index.ts';
import { bbError, bitbucketErrorStyle } from './bitbucket/errors.ts';
import { registerControlRoutes } from './control/routes.ts';
import type { ControlContext } from './control/context.ts';
import { createDigitalOcean, registerDigitalOcean } from './digitalocean/index.ts';
import { digitaloceanErrorStyle, notFound } from './digitalocean/api.ts';
import { resolveClockStart } from './options.ts';
import type { ResolvedSimulatorOptions } from './options.ts';

function isLoggerInstance(value: object): value is FastifyBaseLogger {
  return typeof (value as { child?: unknown }).child === 'function' && typeof (value as { info?: unknown }).info === 'function';
}

/** One Fastify app serving both providers under their prefixes, and the control API. */
export async function buildSimulatorServer(options: ResolvedSimulatorOptions): Promise<{ app: FastifyInstance; control: ControlContext }> {
  const logging = options.logger === false ? { logger: false } : isLoggerInstance(options.logger) ? { loggerInstance: options.logger } : { logger: options.logger };
  // Held requests (the `timeout` fault) must not keep close() waiting.
  const app = Fastify({ ...logging, forceCloseConnections: true }) as unknown as FastifyInstance;
  await app.register(formbody);

  const { epochMs, startMs } = resolveClockStart(options);
  const clock = new SimClock(epochMs, startMs, options.freezeTime);
  const control: ControlContext = {
    preset: options.preset,
    seed: options.seed,
    clock,
    counters: new Counters(),
    faults: new FaultRules(),
    catalog: new RouteCatalog(),
    digitalocean: createDigitalOcean(options.preset, options.seed, clock),
    bitbucket: createBitbucket(options.preset, options.seed, clock, options.bitbucketPaidSeats),
  };
  for (const client of options.clients) control[client.provider].oauth.registerClient(client);

  control.catalog.collectFrom(app);
  installProviderHooks(app, control.counters, control.faults, { digitalocean: digitaloceanErrorStyle(clock), bitbucket: bitbucketErrorStyle });

  await app.register(
    async (scope) => {
      registerDigitalOcean(scope, control.digitalocean, control.counters, options.rateLimitScale);
      scope.setNotFoundHandler((_request, reply) => sendSimReply(reply, notFound()));
    },
    { prefix: '/digitalocean' },
  );
  await app.register(
    async (scope) => {
      registerBitbucket(scope, control.bitbucket, control.counters, options.rateLimitScale);
      scope.setNotFoundHandler((_request, reply) => sendSimReply(reply, bbError(404, 'Resource not found')));
    },
    { prefix: '/bitbucket' },
  );
  await app.register(async (scope) => registerControlRoutes(scope, control), { prefix: '/_sim' });
  return { app, control };
}
