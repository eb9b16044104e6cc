import type { FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from '../log.ts';
import type { RoleValue } from '../store/schema.ts';

/** The Fastify instance type every route module receives: zod schemas type the handlers. */
export type TallyApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, ZodTypeProvider>;

/**
 * Per-route access rule, read by one central guard:
 * - `public`: no session needed;
 * - `user`: a logged-in user;
 * - `instance_admin`: a logged-in instance admin (instance-wide settings);
 * - a role: a logged-in member of the organization in the `:orgId` path parameter, with at least that role.
 */
export type Access = 'public' | 'user' | 'instance_admin' | RoleValue;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** Set by the guard for routes that need a user. */
    user?: { id: string; sessionTokenHash: string };
    /** Set by the guard for organization routes. */
    org?: { id: string; role: RoleValue };
  }
}

export function requireUser(req: FastifyRequest): { id: string; sessionTokenHash: string } {
  if (!req.user) throw new Error('route reached without the user guard; give it access: "user" or a role');
  return req.user;
}

export function requireOrg(req: FastifyRequest): { id: string; role: RoleValue } {
  if (!req.org) throw new Error('route reached without the organization guard; give it a role as access');
  return req.org;
}
