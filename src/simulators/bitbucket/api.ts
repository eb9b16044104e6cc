import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HOUR_MS } from '../core/clock.ts';
import { sendSimReply } from '../core/provider-hooks.ts';
import { WindowsByKey } from '../core/rate-window.ts';
import { ReplyError } from '../core/reply.ts';
import type { SimReply } from '../core/reply.ts';
import { fastifyPath } from '../core/routes.ts';
import type { Grant, OAuthStore } from '../oauth/store.ts';
import { findOperation } from '../specs.ts';
import { bbError } from './errors.ts';
import { partialResponse } from './fields.ts';
import type { BbMember } from './model.ts';
import type { Links } from './serialize-core.ts';
import type { BitbucketWorld } from './world.ts';

// Bitbucket Cloud's "API request limits": 1,000 requests per rolling hour for an OAuth consumer
// (shared by every token it minted); for /2.0/repositories/* the limit grows by 10 an hour for
// each paid seat above 100, up to 10,000.
export const HOURLY_LIMIT = 1_000;
const SCALED_LIMIT_CAP = 10_000;

export function repositoriesLimit(seats: number): number {
  return Math.min(SCALED_LIMIT_CAP, HOURLY_LIMIT + 10 * Math.max(0, seats - 100));
}

export interface BbCaller {
  grant: Grant;
  /** Null for a workspace access token, which acts as a bot of its workspace. */
  member: BbMember | null;
  /** Whose budget the request spends: the OAuth consumer, the person, or the access token. */
  rateKey: string;
}

export interface BbRequestContext {
  world: BitbucketWorld;
  caller: BbCaller;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  links: Links;
  /** This request's absolute URL without the query (the base of `next` links). */
  url: string;
  now: number;
}

export interface BbRoute {
  documentPath: string;
  handle(ctx: BbRequestContext): SimReply;
  examples(): string[];
}

export interface BbApiDeps {
  world: BitbucketWorld;
  oauth: OAuthStore;
  rateLimitScale?: number;
}

// Scopes a consumer's scope implies ("Scopes for Bitbucket Cloud REST API", OAuth 2.0 section).
const IMPLIED: Record<string, string[]> = {
  'repository:write': ['repository'],
  'repository:admin': ['repository'],
  pullrequest: ['repository'],
  'pullrequest:write': ['pullrequest', 'repository', 'repository:write'],
  project: ['repository'],
  'project:admin': ['project', 'repository'],
  issue: ['repository'],
  'issue:write': ['issue', 'repository'],
  'pipeline:write': ['pipeline'],
  'pipeline:variable': ['pipeline', 'pipeline:write'],
  'account:write': ['account'],
};

function grantsOAuthScope(scopes: string[], required: string): boolean {
  return scopes.some((s) => s === required || (IMPLIED[s] ?? []).includes(required));
}

/** API tokens carry granular scopes (`read:repository:bitbucket`); this maps an operation onto one. */
function apiTokenScope(required: string, documentPath: string): string {
  if (required === 'account') return documentPath === '/user' ? 'read:user:bitbucket' : 'read:workspace:bitbucket';
  return `read:${required}:bitbucket`;
}

function requiredScopes(documentPath: string): string[] {
  const security = findOperation('bitbucket', 'GET', documentPath)?.security ?? [];
  return security.flatMap((s) => s.oauth2 ?? []);
}

type AuthResult = { ok: true; caller: BbCaller } | { ok: false; reply: SimReply };

const invalidToken = () => bbError(401, 'Token is invalid, expired, or not supported for this endpoint.');

function authenticate(request: FastifyRequest, deps: BbApiDeps): AuthResult {
  const query = request.query as Record<string, unknown>;
  // Since May 2026 access tokens are accepted only in the Authorization header.
  if (query.access_token !== undefined) return { ok: false, reply: bbError(401, 'Access tokens are accepted only in the Authorization header.') };
  const header = request.headers.authorization ?? '';
  const [scheme = '', value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') {
    const found = deps.oauth.lookup(value);
    if (!found.ok) return { ok: false, reply: found.reason === 'expired' ? bbError(401, 'Access token expired.') : invalidToken() };
    if (found.type === 'refresh') return { ok: false, reply: invalidToken() };
    const { grant } = found;
    if (grant.kind === 'workspace_access_token') return { ok: true, caller: { grant, member: null, rateKey: `token ${grant.id}` } };
    const member = deps.world.findMember(grant.userId);
    if (!member) return { ok: false, reply: invalidToken() };
    return { ok: true, caller: { grant, member, rateKey: `consumer ${grant.clientId}` } };
  }
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const found = colon > 0 ? deps.oauth.lookup(decoded.slice(colon + 1)) : null;
    if (!found?.ok) return { ok: false, reply: bbError(401, 'Invalid credentials') };
    const member = deps.world.findMember(found.grant.userId);
    if (!member) return { ok: false, reply: bbError(401, 'Invalid credentials') };
    // App passwords were removed on 28 July 2026 (Atlassian community notice "Bitbucket Cloud app
    // password brownout schedule"); the wording is the message Bitbucket gives for them.
    if (found.grant.kind === 'app_password') return { ok: false, reply: bbError(401, 'App passwords are deprecated and must be replaced with API tokens.') };
    const user = decoded.slice(0, colon);
    if (found.grant.kind !== 'api_token' || user.toLowerCase() !== member.email) return { ok: false, reply: bbError(401, 'Invalid credentials') };
    return { ok: true, caller: { grant: found.grant, member, rateKey: `user ${member.uuid}` } };
  }
  return { ok: false, reply: bbError(401, 'Authentication required', 'Send an OAuth access token in the Authorization header, or an API token with HTTP Basic authentication.') };
}

function hasScope(caller: BbCaller, required: string, documentPath: string): boolean {
  if (caller.grant.kind === 'api_token') return caller.grant.scopes.includes(apiTokenScope(required, documentPath));
  return grantsOAuthScope(caller.grant.scopes, required);
}

function linksFor(request: FastifyRequest): Links {
  const origin = `${request.protocol}://${request.host}/bitbucket`;
  return { api: `${origin}/2.0`, web: origin };
}

export function registerBbRoutes(app: FastifyInstance, deps: BbApiDeps, routes: BbRoute[]): void {
  const windows = new WindowsByKey(deps.rateLimitScale);
  for (const route of routes) {
    const scopes = requiredScopes(route.documentPath);
    const deprecated = findOperation('bitbucket', 'GET', route.documentPath)?.deprecated === true;
    const label = `GET /2.0${route.documentPath}`;
    const config = { sim: { provider: 'bitbucket' as const, kind: 'api' as const, documentPath: route.documentPath, label, deprecated, examples: () => route.examples() } };
    app.get(fastifyPath(`/2.0${route.documentPath}`), { config }, async (request, reply) => {
      const auth = authenticate(request, deps);
      if (!auth.ok) return sendSimReply(reply, auth.reply);
      const { caller } = auth;
      const params = request.params as Record<string, string>;
      const now = deps.world.clock.now();
      const scaled = route.documentPath.startsWith('/repositories/');
      // The workspace may be named by slug or UUID; both spend the same budget.
      const ours = params.workspace === deps.world.workspace.slug || params.workspace === deps.world.workspace.uuid;
      const limit = scaled && ours ? repositoriesLimit(deps.world.seats()) : HOURLY_LIMIT;
      const window = windows.get(`${caller.rateKey} ${scaled ? `repositories ${ours ? deps.world.workspace.slug : params.workspace}` : 'general'}`, limit, HOUR_MS);
      if (window.remaining(now) === 0) return sendSimReply(reply, bbError(429, 'Rate limit for this resource has been exceeded'));
      window.record(now);
      const missing = scopes.find((s) => !hasScope(caller, s, route.documentPath));
      if (missing) return sendSimReply(reply, bbError(403, 'Your credentials lack one or more required privilege scopes.', `This API requires the scope "${missing}".`));
      if (params.workspace !== undefined) {
        if (params.workspace !== deps.world.workspace.slug && params.workspace !== deps.world.workspace.uuid)
          return sendSimReply(reply, bbError(404, `No workspace with identifier '${params.workspace}'.`));
        if (caller.grant.workspace !== null && caller.grant.workspace !== deps.world.workspace.slug) return sendSimReply(reply, bbError(403, 'Access denied. You must have access to this workspace.'));
      }
      const links = linksFor(request);
      const ctx: BbRequestContext = { world: deps.world, caller, params, query: request.query as BbRequestContext['query'], links, url: `${links.web}${request.url.split('?')[0]!.slice('/bitbucket'.length)}`, now };
      let result: SimReply;
      try {
        result = route.handle(ctx);
        const fields = Array.isArray(ctx.query.fields) ? ctx.query.fields.join(',') : ctx.query.fields;
        if (fields !== undefined && result.status === 200 && result.body !== undefined) result = { ...result, body: partialResponse(result.body, fields) };
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        result = error.reply;
      }
      // The real service sends no deprecation header that public sources show; this one is the
      // simulator's own marker, so tests can see a deprecated operation was called.
      const headers = deprecated ? { ...result.headers, 'x-simulator-deprecated-operation': label } : result.headers;
      return sendSimReply(reply, headers ? { ...result, headers } : result);
    });
  }
}
