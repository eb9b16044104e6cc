import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { requireRole } from '../accounts/organizations.ts';
import { resolveSession } from '../accounts/sessions.ts';
import type { AppContext } from '../context.ts';
import { TallyError } from '../errors.ts';
import { SESSION_COOKIE } from './contracts/common.ts';
import { accountRoutes } from './routes/accounts.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { analyticsInsightRoutes } from './routes/analytics-insights.ts';
import { analyticsPeopleRoutes } from './routes/analytics-people.ts';
import { connectionRoutes } from './routes/connections.ts';
import { memberEmailRoutes } from './routes/member-emails.ts';
import { settingsRoutes } from './routes/settings.ts';
import { syncRoutes } from './routes/sync.ts';
import { healthRoutes } from './routes/health.ts';
import { organizationRoutes } from './routes/organizations.ts';
import { checkCsrf, ensureCsrfCookie } from './security.ts';
import type { Access, TallyApp } from './server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export type RouteModule = (app: TallyApp, ctx: AppContext) => void;

/** Every API route with its access rule, as registered: the role-matrix and CSRF tests walk this list. */
export type RouteEntry = { method: string; url: string; access: Access | undefined };
export const routeTables = new WeakMap<object, RouteEntry[]>();

/** Builds the HTTP app: API, OpenAPI document and docs, health and metrics, and the dashboard. */
export async function buildApp(ctx: AppContext, extraRoutes: RouteModule[] = []): Promise<TallyApp> {
  const app = Fastify({
    loggerInstance: ctx.log,
    logController: new RequestLog(),
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(formbody);
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // The OAuth flow navigates to the providers and back; a strict referrer policy keeps codes out of Referer.
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tally API',
        version: '0.1.0',
        description:
          'Tally’s REST API: everything the dashboard shows. Authenticate with the session cookie from `POST /api/auth/login`; every state-changing request must echo the `tally_csrf` cookie in the `x-csrf-token` header. Errors are `{ "error": { "code", "message" } }`.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof TallyError) {
      if (error.status >= 500) req.log.error({ err: error }, error.message);
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(error.status).send({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({ path: v.instancePath.split('/').filter(Boolean), message: v.message ?? 'is not valid' }));
      const first = details[0];
      const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
      return reply.code(400).send({ error: { code: 'invalid_request', message: `${where}${first?.message ?? 'The request is not valid.'}`, details } });
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'Tally produced an invalid response; this is a bug, please report it.' } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      return reply.code(status).send({ error: { code: status === 415 ? 'unsupported_media_type' : 'invalid_request', message: (error as Error).message } });
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server. It was logged; try again, and report it if it persists.' } });
  });

  // One guard for every route: session, organization membership and role, CSRF. It runs before body
  // validation, so an anonymous or foreign caller learns nothing from validation messages.
  app.addHook('preValidation', async (req, reply) => {
    const access = req.routeOptions.config.access;
    // Static files, health and metrics need no session: only API routes pay for its lookup.
    if (!req.url.startsWith('/api/')) return;
    ensureCsrfCookie(req, reply, ctx.config);
    checkCsrf(req);
    const session = await resolveSession(ctx.db, req.cookies[SESSION_COOKIE]);
    if (session) req.user = { id: session.userId, sessionTokenHash: session.tokenHash };
    if (access === undefined || access === 'public') return;
    if (!req.user) throw new TallyError('unauthenticated', 'Log in to continue.');
    if (access === 'user') return;
    if (access === 'instance_admin') {
      const admin = await ctx.db.selectFrom('users').select('instance_admin').where('id', '=', req.user.id).executeTakeFirst();
      if (!admin?.instance_admin) throw new TallyError('forbidden', 'Only Tally’s administrators (the account that set Tally up) can change instance settings.');
      return;
    }
    const orgId = (req.params as { orgId?: string }).orgId;
    if (!orgId) throw new Error(`route ${req.routeOptions.url} has a role guard but no :orgId parameter`);
    if (!UUID.test(orgId)) throw new TallyError('not_found', 'That organization was not found.');
    req.org = { id: orgId, role: await requireRole(ctx.db, orgId, req.user.id, access) };
  });

  // Routes must say who may call them: a route without `access` fails at start-up, not in production.
  const routeTable: RouteEntry[] = [];
  routeTables.set(app, routeTable);
  app.addHook('onRoute', (route) => {
    const isInternal = route.url.startsWith('/api/docs') || route.prefix.startsWith('/api/docs');
    if (!isInternal && route.url.startsWith('/api/') && route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    }
    for (const method of [route.method].flat()) {
      if (!isInternal && method !== 'HEAD') routeTable.push({ method, url: route.url, access: route.config?.access });
    }
  });

  healthRoutes(app, ctx);
  accountRoutes(app, ctx);
  organizationRoutes(app, ctx);
  connectionRoutes(app, ctx);
  memberEmailRoutes(app, ctx);
  settingsRoutes(app, ctx);
  syncRoutes(app, ctx);
  analyticsRoutes(app, ctx);
  analyticsPeopleRoutes(app, ctx);
  analyticsInsightRoutes(app, ctx);
  for (const routes of extraRoutes) routes(app, ctx);

  await serveDashboard(app);
  return app;
}

/**
 * One info line per request, when it is answered (method, redacted URL, status, time); the line Fastify also
 * writes when a request arrives is debug. Two info lines per request took about a tenth of a cached answer's CPU.
 */
class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * helmet's headers for these options. They are the same for every answer, so they are worked out once here:
 * building them for each request (as @fastify/helmet does) was a tenth of a cached answer's CPU.
 */
function helmetHeaders(options: HelmetOptions): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return [...headers];
}

async function serveDashboard(app: TallyApp): Promise<void> {
  const hasBuild = existsSync(path.join(webDist, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      // Built assets carry a content hash in their name, so they never change under one URL.
      immutable: true,
      maxAge: '365d',
    });
  }
  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.code(404).send({ error: { code: 'not_found', message: `No such endpoint: ${req.method} ${req.url.split('?')[0]}. See /api/docs.` } });
    }
    if (!hasBuild) {
      return reply.code(503).type('text/plain').send('The dashboard is not built yet. Run `npm run build:web` (npm start does it for you).');
    }
    const rel = decodeURIComponent(req.url.split('?')[0] ?? '/').replace(/^\/+/, '');
    if (rel && !rel.includes('..') && existsSync(path.join(webDist, rel)) && path.extname(rel)) return reply.sendFile(rel);
    return reply.sendFile('index.html', { maxAge: 0, immutable: false });
  });
}
