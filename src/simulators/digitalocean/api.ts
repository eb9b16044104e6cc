import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MINUTE_MS, HOUR_MS } from '../core/clock.ts';
import type { SimClock } from '../core/clock.ts';
import type { ProviderErrorStyle } from '../core/provider-hooks.ts';
import { sendSimReply } from '../core/provider-hooks.ts';
import { WindowsByKey } from '../core/rate-window.ts';
import { ReplyError } from '../core/reply.ts';
import type { SimReply } from '../core/reply.ts';
import { fastifyPath } from '../core/routes.ts';
import type { Grant, OAuthStore } from '../oauth/store.ts';
import { findOperation } from '../specs.ts';
import type { Billing } from './billing.ts';
import type { DoUser } from './model.ts';
import type { DigitalOceanWorld } from './world.ts';

// Budgets from DigitalOcean's API reference, "Rate Limit": 5,000 requests an hour (each request
// expires one hour after it was made) and 250 a minute, per token.
export const HOURLY_LIMIT = 5_000;
export const MINUTE_LIMIT = 250;

function doError(status: number, id: string, message: string, headers?: Record<string, string>): SimReply {
  return { status, body: { id, message }, ...(headers ? { headers } : {}) };
}

export const notFound = () => doError(404, 'not_found', 'The resource you were accessing could not be found.');
export const badRequest = (message: string) => doError(400, 'bad_request', message);
const unauthorized = () => doError(401, 'unauthorized', 'Unable to authenticate you');

/** The errors a fault rule makes DigitalOcean send; its 429 is the per-minute one (a minute's wait). */
export function digitaloceanErrorStyle(clock: SimClock): ProviderErrorStyle {
  return {
    tooManyRequests: () =>
      doError(429, 'too_many_requests', 'API Rate limit exceeded.', {
        'ratelimit-limit': String(HOURLY_LIMIT),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(Math.ceil(clock.now() / 1000) + 60),
        'retry-after': '60',
      }),
    serverError: (status) => doError(status, 'server_error', 'Unexpected server-side error'),
    expiredToken: unauthorized,
  };
}

export interface DoCaller {
  grant: Grant;
  user: DoUser;
  token: string;
}

export interface DoRequestContext {
  world: DigitalOceanWorld;
  billing: Billing;
  caller: DoCaller;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** `http://host:port/digitalocean`: where this request reached the API, for absolute links. */
  apiBase: string;
  now: number;
}

export interface DoRoute {
  documentPath: string;
  handle(ctx: DoRequestContext): SimReply;
  /** Concrete request paths (with query) built from the seeded team. */
  examples(): string[];
}

export interface DoApiDeps {
  world: DigitalOceanWorld;
  billing: Billing;
  oauth: OAuthStore;
  rateLimitScale?: number;
}

/**
 * `read` and `write` are the classic OAuth scopes (every `*:read`, and everything); custom scopes
 * such as `droplet:read` grant exactly one kind of access ("Custom scopes" in DigitalOcean's
 * personal access token documentation).
 */
function scopeGrants(tokenScopes: string[], required: string): boolean {
  if (tokenScopes.includes(required) || tokenScopes.includes('write')) return true;
  return tokenScopes.includes('read') && required.endsWith(':read');
}

/** The scopes the document's `security` lists for an operation; any one of them suffices. */
function requiredScopes(documentPath: string): string[] {
  const security = findOperation('digitalocean', 'GET', documentPath)?.security ?? [];
  return security.flatMap((s) => s.bearer_auth ?? []);
}

function authenticate(request: FastifyRequest, deps: DoApiDeps): DoCaller | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return null;
  const found = deps.oauth.lookup(match[1]);
  if (!found.ok || found.type === 'refresh') return null;
  const user = deps.world.user(found.grant.userId);
  return user ? { grant: found.grant, user, token: match[1] } : null;
}

export function registerDoRoutes(app: FastifyInstance, deps: DoApiDeps, routes: DoRoute[]): void {
  const windows = new WindowsByKey(deps.rateLimitScale);
  for (const route of routes) {
    const scopes = requiredScopes(route.documentPath);
    const billingOnly = scopes.includes('billing:read');
    const label = `GET ${route.documentPath}`;
    const deprecated = findOperation('digitalocean', 'GET', route.documentPath)?.deprecated === true;
    const config = { sim: { provider: 'digitalocean' as const, kind: 'api' as const, documentPath: route.documentPath, label, deprecated, examples: () => route.examples() } };
    app.get(fastifyPath(route.documentPath), { config }, async (request, reply) => {
      deps.world.catchUp();
      const caller = authenticate(request, deps);
      if (!caller) return sendSimReply(reply, unauthorized());
      const now = deps.world.clock.now();
      const hour = windows.get(`hour ${caller.token}`, HOURLY_LIMIT, HOUR_MS);
      const minute = windows.get(`minute ${caller.token}`, MINUTE_LIMIT, MINUTE_MS);
      const limitHeaders = () => ({
        'ratelimit-limit': String(hour.limit),
        'ratelimit-remaining': String(hour.remaining(now)),
        'ratelimit-reset': String(Math.ceil(hour.oldestExpiry(now) / 1000)),
      });
      if (minute.remaining(now) === 0) {
        const wait = Math.max(1, Math.ceil((minute.oldestExpiry(now) - now) / 1000));
        return sendSimReply(reply, doError(429, 'too_many_requests', 'API Rate limit exceeded.', { ...limitHeaders(), 'retry-after': String(wait) }));
      }
      if (hour.remaining(now) === 0) return sendSimReply(reply, doError(429, 'too_many_requests', 'API Rate limit exceeded.', limitHeaders()));
      hour.record(now);
      minute.record(now);
      // Billing is also limited by the person's team role (only owners and billers see money).
      const allowed = scopes.some((s) => scopeGrants(caller.grant.scopes, s)) && (!billingOnly || caller.user.role !== 'member');
      if (!allowed) return sendSimReply(reply, doError(403, 'forbidden', 'You do not have access for the attempted action.', limitHeaders()));
      const ctx: DoRequestContext = {
        world: deps.world,
        billing: deps.billing,
        caller,
        params: request.params as Record<string, string>,
        query: request.query as Record<string, string | undefined>,
        apiBase: `${request.protocol}://${request.host}/digitalocean`,
        now,
      };
      let result: SimReply;
      try {
        result = route.handle(ctx);
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        result = error.reply;
      }
      // The simulator's own marker of a deprecated operation (see bitbucket/api.ts).
      const marker: Record<string, string> = deprecated ? { 'x-simulator-deprecated-operation': label } : {};
      return sendSimReply(reply, { ...result, headers: { ...limitHeaders(), ...marker, ...result.headers } });
    });
  }
}
